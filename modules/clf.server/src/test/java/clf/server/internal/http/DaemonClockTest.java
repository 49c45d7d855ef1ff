package clf.server.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import clf.protocol.Protocol;
import clf.server.internal.dev.DevDaemonFixture;
import clf.server.internal.status.SocketHttp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The bot API reads the time from the daemon's clock, not the machine's. */
class DaemonClockTest extends DevDaemonFixture {
    @Test
    void runAtIsBoundedFromTheDaemonsNow() throws Exception {
        clock = Clock.offset(Clock.systemUTC(), Duration.ofDays(-10)); // the daemon lives ten days ago
        start(Map.of("CLF_MAX_RUN_AT_AHEAD", "30d"));
        Instant runAt = Instant.now().plus(Duration.ofDays(25)).truncatedTo(ChronoUnit.SECONDS);
        SocketHttp.Response refused = SocketHttp.post(socket, Protocol.ENQUEUE, "{\"protocolVersion\":1,"
                + "\"kind\":\"cattle.reap\",\"payload\":{\"dryRun\":true},\"runAt\":\"" + runAt + "\"}");
        assertEquals(400, refused.status(), "25 days from the machine's now is 35 from the daemon's: " + refused);
        assertEquals("runAt: at most 30d ahead (CLF_MAX_RUN_AT_AHEAD), got '" + runAt + "'",
                ((Map<?, ?>) refused.json().get("error")).get("message"));
    }
}
