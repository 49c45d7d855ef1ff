package clf.server.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import clf.protocol.Protocol;
import clf.queue.Job;
import clf.queue.JobStatus;
import com.fasterxml.jackson.jr.ob.JSON;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The streamed list answer is, byte for byte, the summary maps as jackson-jr writes them. */
class JobJsonTest {
    private static final JSON MAPS = JSON.std.with(JSON.Feature.WRITE_NULL_PROPERTIES);
    private static final Instant AT = Instant.parse("2026-12-02T03:00:00.123456Z");

    @Test
    void aStreamedListIsWhatTheSummaryMapsWere() throws Exception {
        List<Job> jobs = List.of(
                job("j-1", null, JobStatus.QUEUED, null, null),
                job("j-2", "key \"quoted\" \u00e9\u4e2d", JobStatus.DONE, null,
                        "{\"servers\":[\"a\",\"b\"],\"n\":1.50,\"big\":12345678901234567890,\"x\":null}"),
                job("j-3", "k", JobStatus.FAILED, "boom\nline two\u0001", null));
        for (String cursor : new String[] {null, "c-\u00fc/1"}) {
            assertEquals(viaMaps(jobs, cursor), new String(JobJson.listBody(jobs, cursor), StandardCharsets.UTF_8));
        }
        assertEquals(viaMaps(List.of(), null), new String(JobJson.listBody(List.of(), null), StandardCharsets.UTF_8));
    }

    private static String viaMaps(List<Job> jobs, String cursor) throws Exception {
        List<Map<String, Object>> summaries = new ArrayList<>();
        jobs.forEach(job -> summaries.add(JobJson.summary(job)));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("protocolVersion", Protocol.VERSION);
        body.put("jobs", summaries);
        body.put("nextCursor", cursor);
        return MAPS.asString(body);
    }

    private static Job job(String id, String key, JobStatus status, String lastError, String result) {
        return new Job(id, "cattle.reap", "alice", "{}", key, status, -3, AT.plusSeconds(60), AT, AT.plusMillis(5), 2,
                5, null, null, lastError, result, status == JobStatus.RUNNING);
    }
}
