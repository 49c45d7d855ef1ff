package clf.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class LogLinesTest {
    @Test
    void plainValuesStayBareAndTheRestAreQuotedOnOneLine() {
        assertEquals("2026-11-27T14:30:00Z INFO job.enqueued job=j-1 note=\"a b\" q=\"say \\\"hi\\\"\" nl=\"x\\ny\""
                        + " bell=\"a b\" empty=\"\" eq=\"k=v\"",
                LogLines.format(Instant.parse("2026-11-27T14:30:00Z"), "INFO", "job.enqueued", "job", "j-1", "note", "a b",
                        "q", "say \"hi\"", "nl", "x\ny", "bell", "a\u0007b", "empty", "", "eq", "k=v", "dropped"));
    }
}
