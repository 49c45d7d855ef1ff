package clf.server.internal.cattle.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Label values and server names made from free text (spec §3.6). */
class LabelsTest {
    @Test
    void aValidLabelValueIsKeptAsItIs() {
        assertEquals("maren_bot", Labels.value("maren_bot", "requester"));
        assertEquals("a.b-c", Labels.value("a.b-c", "requester"));
    }

    @Test
    void anInvalidLabelValueIsSlugged() {
        assertEquals("bot", Labels.value("-bot", "requester"));
        assertEquals("requester", Labels.value("...", "requester"));
        assertEquals(63, Labels.value("x".repeat(64), "requester").length());
    }

    @Test
    void everyCanonicalRequesterNameIsItsOwnLabelValueAndNoOtherIs() {
        String alphabet = "ab9._-A ";
        // Every name of up to 3 chars over a mixed alphabet, and the edges of the length rule.
        java.util.List<String> names = new java.util.ArrayList<>(java.util.List.of("x".repeat(63), "x".repeat(64)));
        for (char a : alphabet.toCharArray()) {
            names.add("" + a);
            for (char b : alphabet.toCharArray()) {
                names.add("" + a + b);
                for (char c : alphabet.toCharArray()) {
                    names.add("" + a + b + c);
                }
            }
        }
        for (String name : names) {
            boolean ownLabel = Labels.value(name, "requester").equals(name)
                    && name.matches("[a-z0-9._-]{1,64}"); // the requester name rules
            assertEquals(ownLabel, clf.protocol.RequesterName.isCanonical(name), "'" + name + "'");
        }
    }

    @Test
    void theServerNameIsStablePerJobAndAValidHostname() {
        String name = Labels.serverName("Rex the_Great " + "y".repeat(80), "0f3c9a7e-1111-2222-3333-444455556666");
        assertEquals(name, Labels.serverName("Rex the_Great " + "y".repeat(80), "0f3c9a7e-1111-2222-3333-444455556666"));
        assertTrue(name.startsWith("cattle-rex-the-great-") && name.endsWith("-0f3c9a7e"), name);
        assertTrue(name.matches("[a-zA-Z0-9][a-zA-Z0-9-]{0,61}[a-zA-Z0-9]"), name);
    }
}
