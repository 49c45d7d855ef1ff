package clf.server.internal.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import clf.protocol.WireStatus;
import clf.queue.JobStatus;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class StatusesTest {
    @Test
    void theQueueAndTheWireKnowTheSameStatusesUnderTheSameNames() {
        assertEquals(Arrays.stream(JobStatus.values()).map(JobStatus::wireName).toList(),
                Arrays.stream(WireStatus.values()).map(WireStatus::wireName).toList());
        for (JobStatus status : JobStatus.values()) {
            assertEquals(status, Statuses.fromWire(Statuses.toWire(status)));
            assertEquals(status.isTerminal(), Statuses.toWire(status).isTerminal(), status.name());
        }
    }
}
