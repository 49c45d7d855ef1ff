package clf.server.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.protocol.ApiException;
import clf.protocol.ErrorCode;
import clf.server.internal.auth.Caller;
import org.junit.jupiter.api.Test;

class AccessTest {
    static final Caller NOT_A_BOT = new Caller(4250, 4300, 1, "maren", null, false,
            "user 'maren' is not a bot user: bot users must be named 'bot-<name>'");
    static final Caller BOT = new Caller(4242, 4300, 1, "bot-maren", "maren", false);
    static final Caller OPERATOR = new Caller(0, 0, 1, "root", "root", true);

    @Test
    void aUserThatIsNeitherBotNorOperatorIsRefusedWithTheNamingRule() {
        ApiException refused = assertThrows(ApiException.class,
                () -> new Access(false).requireBotOrOperator(NOT_A_BOT));
        assertEquals(ErrorCode.FORBIDDEN, refused.code());
        assertEquals(NOT_A_BOT.noRequesterReason(), refused.getMessage());
        new Access(false).requireBotOrOperator(BOT);
        new Access(false).requireBotOrOperator(OPERATOR);
        new Access(true).requireBotOrOperator(NOT_A_BOT); // names come from requests then
    }

    @Test
    void withTrustedRequestersANameFromTheRequestMustBeCanonical() {
        Access trusting = new Access(true);
        for (String name : new String[] {"_alice", "-alice", "alice."}) {
            ApiException refused = assertThrows(ApiException.class,
                    () -> trusting.requesterForEnqueue(NOT_A_BOT, name));
            assertEquals(ErrorCode.INVALID_INPUT, refused.code());
            assertEquals("requester: 1–63 chars of [a-z0-9._-], starting and ending with a letter or digit, got '"
                    + name + "'", refused.getMessage());
        }
        assertEquals("alice", trusting.requesterForEnqueue(NOT_A_BOT, "alice"));
        ApiException unnamed = assertThrows(ApiException.class, () -> trusting.requesterForEnqueue(NOT_A_BOT, null));
        assertEquals(ErrorCode.INVALID_INPUT, unnamed.code());
        assertTrue(unnamed.getMessage().startsWith("requester: required with CLF_TRUST_REQUESTER"), unnamed.getMessage());
        assertEquals("maren", trusting.requesterForEnqueue(BOT, null), "a bot user still has its own name");
        assertEquals("_ops", new Access(false).requesterForEnqueue(OPERATOR, "_ops"), "operators are trusted");
    }
}
