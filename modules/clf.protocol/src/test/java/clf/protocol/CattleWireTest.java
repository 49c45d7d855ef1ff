package clf.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cattle listener's additions for the agent: the env answer's report credential and task reports. */
class CattleWireTest {
    static final Instant EXPIRES = Instant.parse("2026-12-02T03:00:00Z");

    @Test
    void aFinishedReportSurvivesTheWire() throws Exception {
        TaskReport report = TaskReport.finished(3, 1234, "tests failed: 2");
        TaskReport back = TaskReport.fromJson(JSON.std.anyFrom(JSON.std.asString(report.toJson())));
        assertEquals(report, back);
        assertEquals("{\"protocolVersion\":1,\"event\":\"finished\",\"exitCode\":3,\"durationMs\":1234,"
                + "\"summary\":\"tests failed: 2\"}", JSON.std.asString(report.toJson()));
        assertEquals("{\"protocolVersion\":1,\"event\":\"started\"}", JSON.std.asString(TaskReport.started().toJson()));
    }

    @Test
    void badReportsNameTheirField() {
        assertEquals("event: \"started\" or \"finished\", got 'done'",
                assertThrows(InvalidInputException.class, () -> report("{\"protocolVersion\":1,\"event\":\"done\"}"))
                        .getMessage());
        assertEquals("exitCode", assertThrows(InvalidInputException.class,
                () -> report("{\"protocolVersion\":1,\"event\":\"finished\",\"durationMs\":1}")).field());
        assertEquals("exitCode", assertThrows(InvalidInputException.class,
                () -> report("{\"protocolVersion\":1,\"event\":\"finished\",\"exitCode\":256,\"durationMs\":1}")).field());
        assertEquals("durationMs", assertThrows(InvalidInputException.class,
                () -> report("{\"protocolVersion\":1,\"event\":\"finished\",\"exitCode\":0,\"durationMs\":-1}")).field());
        assertEquals("protocolVersion", assertThrows(InvalidInputException.class,
                () -> report("{\"event\":\"started\"}")).field());
        assertEquals("event", assertThrows(InvalidInputException.class,
                () -> report("{\"protocolVersion\":1,\"event\":\"started\",\"exitCode\":0}")).field());
        assertTrue(assertThrows(InvalidInputException.class,
                () -> report("{\"protocolVersion\":1,\"event\":\"started\",\"stdout\":\"x\"}")).getMessage().contains("stdout"));
        String big = "é".repeat(TaskReport.MAX_SUMMARY_BYTES / 2 + 1);
        assertEquals("summary: at most 4096 bytes of UTF-8, got '4098 bytes'",
                assertThrows(InvalidInputException.class, () -> TaskReport.finished(0, 1, big)).getMessage());
        assertEquals(TaskReport.MAX_SUMMARY_BYTES, TaskReport.finished(0, 1, "é".repeat(2048)).summary().getBytes(
                java.nio.charset.StandardCharsets.UTF_8).length);
    }

    @Test
    void theEnvAnswerCarriesServerAndReportAndHidesItsSecretsInToString() throws Exception {
        CattleEnvAnswer answer = new CattleEnvAnswer(Map.of("OPENAI_API_KEY", "sk-secret"),
                new CattleEnvAnswer.Server("cattle-rex-1a2b3c4d", EXPIRES),
                new CattleEnvAnswer.Report("rpt-secret", Protocol.CATTLE_TASK, EXPIRES));
        CattleEnvAnswer back = CattleEnvAnswer.fromJson(JSON.std.anyFrom(JSON.std.asString(answer.toJson())));
        assertEquals(answer, back);
        assertFalse(answer.toString().contains("sk-secret"), answer.toString());
        assertFalse(answer.toString().contains("rpt-secret"), answer.toString());
    }

    @Test
    void aV1AnswerHasNoServerNorReport() throws Exception {
        CattleEnvAnswer v1 = CattleEnvAnswer.fromJson(JSON.std.anyFrom("{\"ok\":true,\"env\":{\"A\":\"1\"}}"));
        assertEquals(Map.of("A", "1"), v1.env());
        assertNull(v1.server());
        assertNull(v1.report());
    }

    private static TaskReport report(String json) throws Exception {
        return TaskReport.fromJson(JSON.std.anyFrom(json));
    }
}
