package clf.server.internal.tailnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.testing.TailscaledDouble;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Which node is the tailnet host a token was made for (the rule and its reasons are in TailnetNode#isHost). */
class TailnetNodeTest {
    static final String VM = TailscaledDouble.FIXTURE_NAME;

    static TailnetNode parsed(String whoisJson) throws LocalApiException {
        return WhoIsResponse.node(whoisJson.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theVmInTheFixtureIsItsServer() throws LocalApiException {
        TailnetNode node = parsed(TailscaledDouble.fixture());

        assertTrue(node.isHost(VM));
        assertTrue(node.isHost(VM.toUpperCase()), "DNS names ignore case");
    }

    @Test
    void aNodeThatJoinedSecondUnderTheNameGotASuffixAndIsNotIt() throws LocalApiException {
        TailnetNode late = parsed(TailscaledDouble.whoisOf(VM + "-1.tail4f3b2.ts.net.", VM + "-1", VM));

        assertFalse(late.isHost(VM), "its self-reported host name does not count");
    }

    @Test
    void aNodeSharedInFromAnotherTailnetIsNotItEvenWithTheSameFirstLabel() throws LocalApiException {
        TailnetNode shared = parsed(TailscaledDouble.whoisOf(VM + ".someone-else.ts.net.",
                VM + ".someone-else.ts.net", VM));

        assertFalse(shared.isHost(VM));
    }

    @Test
    void aNodeWithoutComputedNameIsNotMatched() throws LocalApiException {
        TailnetNode old = parsed(TailscaledDouble.whoisOf(VM + ".tail4f3b2.ts.net.", null, VM));

        assertEquals("", old.computedName());
        assertFalse(old.isHost(VM));
    }

    @Test
    void onlyTheWholeLabelMatches() throws LocalApiException {
        TailnetNode node = parsed(TailscaledDouble.fixture());

        assertFalse(node.isHost("cattle-rex-1a2b"));
        assertFalse(node.isHost(VM + ".tail4f3b2.ts.net"));
        assertFalse(node.isHost(""));
        assertFalse(parsed(TailscaledDouble.whoisOf(VM + "x.tail4f3b2.ts.net.", VM, VM)).isHost(VM),
                "Name decides as much as ComputedName");
    }

    @Test
    void describeNamesAllThreeForTheLog() throws LocalApiException {
        assertEquals("laptop.tail4f3b2.ts.net. (computed name laptop, host name " + VM + ")",
                parsed(TailscaledDouble.whoisOf("laptop.tail4f3b2.ts.net.", "laptop", VM)).describe());
        assertEquals("old.tail4f3b2.ts.net. (no computed name, host name old)",
                parsed(TailscaledDouble.whoisOf("old.tail4f3b2.ts.net.", null, "old")).describe());
    }
}
