package clf.server.internal.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CallerResolverTest {
    @TempDir
    Path dir;
    Path passwd;
    Path group;
    CallerResolver resolver;

    @BeforeEach
    void files() throws Exception {
        passwd = dir.resolve("passwd");
        group = dir.resolve("group");
        Files.writeString(passwd, """
                root:x:0:0:root:/root:/bin/sh
                bot-maren:x:4242:4300::/var/empty:/bin/sh
                bot-rex:x:4243:4300::/var/empty:/bin/sh
                carol:x:4244:4244::/home/carol:/bin/sh
                Bad_User:x:4245:4245::/:/bin/sh
                bot-clf:x:4246:4300::/:/bin/sh
                clf-orchestrator:x:900:900::/var/lib/clf:/bin/sh
                maren:x:4250:4300::/:/bin/sh
                bot-_maren:x:4251:4300::/:/bin/sh
                bot--maren:x:4252:4300::/:/bin/sh
                bot-maren.:x:4253:4300::/:/bin/sh
                bot-bot-maren:x:4254:4300::/:/bin/sh
                bot-:x:4255:4300::/:/bin/sh
                bot-bot-:x:4256:4300::/:/bin/sh
                """);
        Files.writeString(group, """
                clf-bots:x:4300:bot-maren,bot-rex
                clf-admins:x:4301:carol
                carol:x:4244:
                """);
        resolver = new CallerResolver(new UserDirectory(passwd, group), "bot-", "clf-admins", 900);
    }

    @Test
    void aBotIsItsUserNameWithoutThePrefix() {
        Caller maren = resolver.resolve(4242, 4300, 77);
        assertEquals("bot-maren", maren.userName());
        assertEquals("maren", maren.requester());
        assertFalse(maren.operator());
        assertEquals("bot-maren (pid 77)", maren.describe());
    }

    @Test
    void operatorsAreRootTheDaemonsUserAndOperatorGroupMembers() {
        assertTrue(resolver.resolve(0, 0, 1).operator());
        assertTrue(resolver.resolve(900, 900, 1).operator());
        Caller carol = resolver.resolve(4244, 4244, 1);
        assertTrue(carol.operator());
        assertEquals("carol", carol.requester(), "a user without the prefix keeps its full name");
        assertTrue(resolver.resolve(5000, 4301, 1).operator(), "primary group counts too");
    }

    @Test
    void unknownUidsAndUnfitNamesHaveNoRequester() {
        Caller stranger = resolver.resolve(31337, 31337, 1);
        assertNull(stranger.userName());
        assertNull(stranger.requester());
        assertNull(resolver.resolve(4245, 4245, 1).requester());
        assertNull(resolver.resolve(4246, 4300, 1).requester(), "clf is the daemon's own requester");
    }

    @Test
    void onlyUsersNamedPrefixPlusNameAreBots() {
        Caller plain = resolver.resolve(4250, 4300, 1);
        assertNull(plain.requester(), "user maren in the bots' group is not bot-maren");
        assertFalse(plain.operator());
        assertEquals("user 'maren' is not a bot user: bot users must be named 'bot-<name>' with <name> 1–63 chars"
                + " of [a-z0-9._-], starting and ending with a letter or digit, not itself starting with 'bot-'",
                plain.noRequesterReason());
        assertEquals("maren", resolver.resolve(4242, 4300, 1).requester(), "only bot-maren is maren");
        Caller badOperator = resolver.resolve(4245, 4301, 1);
        assertTrue(badOperator.operator());
        assertNull(badOperator.requester());
        assertTrue(badOperator.noRequesterReason().startsWith("operator 'Bad_User' has no requester name of its own"),
                badOperator.noRequesterReason());
    }

    @Test
    void aBotNameMustBeItsOwnLabelValueSoNoTwoUsersShareARequester() {
        for (long uid = 4251; uid <= 4256; uid++) {
            Caller caller = resolver.resolve(uid, 4300, 1);
            assertNull(caller.requester(), caller.userName() + " would collide with another user's requester");
            assertTrue(caller.noRequesterReason().contains("bot users must be named"), caller.noRequesterReason());
        }
    }

    @Test
    void aChangedPasswdFileIsReadAgain() throws Exception {
        assertNull(resolver.resolve(4300, 4300, 1).userName());
        Files.writeString(passwd, Files.readString(passwd) + "bot-new:x:4300:4300::/:/bin/sh\n");
        Files.setLastModifiedTime(passwd, FileTime.fromMillis(System.currentTimeMillis() + 5_000));

        assertEquals("new", resolver.resolve(4300, 4300, 1).requester());
    }
}
