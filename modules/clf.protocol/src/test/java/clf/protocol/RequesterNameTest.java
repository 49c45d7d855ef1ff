package clf.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RequesterNameTest {

    @Test
    void aBotIsAUserNamedPrefixPlusACanonicalName() {
        assertEquals("alice", RequesterName.ofUser("bot-alice", "bot-"));
        assertEquals("a_b.c-9", RequesterName.ofUser("bot-a_b.c-9", "bot-"));
        assertNull(RequesterName.ofUser("alice", "bot-"), "no prefix: not a bot");
        assertNull(RequesterName.ofUser("bot-", "bot-"), "no name");
        assertNull(RequesterName.ofUser("bot-clf", "bot-"), "the daemon's own requester");
        assertNull(RequesterName.ofUser(null, "bot-"));
        assertEquals("alice", RequesterName.ofUser("alice", ""), "an empty prefix makes every canonical user a bot");
    }

    @Test
    void namesThatWouldShareALabelValueAreNotCanonical() {
        for (String name : new String[] {"_alice", "-alice", "alice.", "alice-", "Alice", "al ice", "",
            "a".repeat(64), "bot-"}) {
            assertFalse(RequesterName.isCanonical(name), name);
            assertNull(RequesterName.ofUser("bot-" + name, "bot-"), name);
        }
        assertTrue(RequesterName.isCanonical("a".repeat(63)));
        assertTrue(RequesterName.isCanonical("7"));
    }

    @Test
    void aNameStartingWithThePrefixIsRefusedSoBotBotXIsNotMistakenForBotX() {
        assertNull(RequesterName.ofUser("bot-bot-x", "bot-"));
        assertNull(RequesterName.ofUser("bot-bot-", "bot-"));
        assertEquals("botx", RequesterName.ofUser("bot-botx", "bot-"));
    }

    @Test
    void anOperatorWithoutThePrefixKeepsItsCanonicalUserName() {
        assertEquals("carol", RequesterName.ofOperator("carol", "bot-"));
        assertEquals("maren", RequesterName.ofOperator("bot-maren", "bot-"));
        assertNull(RequesterName.ofOperator("Carol", "bot-"));
        assertNull(RequesterName.ofOperator("clf", "bot-"));
    }
}
