package clf.server.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.protocol.Protocol;
import clf.protocol.WireTime;
import clf.queue.Job;
import clf.queue.JobStatus;
import clf.server.internal.wire.Statuses;
import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The streamed show and list answers are, byte for byte, the maps they were once built from as
 * the bot API wrote them (jackson-jr's {@code asBytes}: UTF-8, a character beyond the BMP as a
 * pair of escapes): {@link #summary} and {@link #detail} here are those maps.
 */
class JobJsonTest {
    private static final JSON MAPS = JSON.std.with(JSON.Feature.WRITE_NULL_PROPERTIES);
    private static final Instant AT = Instant.parse("2026-12-02T03:00:00.123456Z");
    /** Stored JSON whose written form differs from its text: numbers, escapes, spacing, nesting. */
    private static final String ODD_JSON = "{ \"servers\" : [\"a\",\"b\"],\"n\":1.50,\"e\":1E2,\"neg\":-0,\"f\":-0.0,"
            + "\"big\":12345678901234567890,\"long\":9007199254740993,\"x\":null,\"t\":true,\"u\":\"\\u00e9\\u4e2d\\ud83d\\ude80\","
            + "\"k\\ud83d\\ude80\u00e9\":\"\u00e9\",\"esc\":\"a\\/b\\\"c\\\\\\n\\u0001\",\"deep\":{\"a\":[[],{},[{\"b\":[1e-7,0.1]}]]}}";

    @Test
    void aStreamedListIsWhatTheSummaryMapsWere() throws Exception {
        List<Job> jobs = List.of(
                job("j-1", null, JobStatus.QUEUED, null, null),
                job("j-2", "key \"quoted\" \u00e9\u4e2d", JobStatus.DONE, null,
                        "{\"servers\":[\"a\",\"b\"],\"n\":1.50,\"big\":12345678901234567890,\"x\":null}"),
                job("j-3", "k", JobStatus.FAILED, "boom\nline two\u0001", null),
                job("j-4", "k", JobStatus.DONE, "", ODD_JSON),
                job("j-5", "k", JobStatus.DONE, null, "[1,\"two\",3.0]"),
                job("j-6", "k", JobStatus.DONE, null, "\"just text\""),
                job("j-7", "k", JobStatus.RUNNING, null, "42"));
        for (String cursor : new String[] {null, "c-\u00fc/1"}) {
            assertEquals(viaMaps(jobs, cursor), new String(JobJson.listBody(jobs, cursor), StandardCharsets.UTF_8));
        }
        assertEquals(viaMaps(List.of(), null), new String(JobJson.listBody(List.of(), null), StandardCharsets.UTF_8));
    }

    @Test
    void aStreamedShowIsWhatTheDetailMapWas() throws Exception {
        Map<String, Object> task = new LinkedHashMap<>();
        task.put("state", "finished");
        task.put("at", WireTime.format(AT));
        task.put("exitCode", 3);
        task.put("summary", "ü \"done\"");
        for (String payload : new String[] {"{}", "{\"dryRun\":true,\"fleetWide\":true}", ODD_JSON, "[]", "null"}) {
            for (Job job : new Job[] {job("j-1", null, JobStatus.QUEUED, null, null, payload),
                job("j-2", "key \u00e9", JobStatus.DONE, "", ODD_JSON, payload),
                job("j-3", "k", JobStatus.CANCELED, "gone\t\u00e9", null, payload)}) {
                for (Map<String, Object> withTask : new Map[] {null, task}) {
                    assertEquals(viaDetail(job, withTask), new String(JobJson.showBody(job, withTask), StandardCharsets.UTF_8));
                }
            }
        }
    }

    @Test
    void storedJsonGoesOutAsStoredOnlyWhenThatIsWhatTheMapsWrote() throws Exception {
        assertTrue(JobJson.writtenAsStored("{\"dryRun\":true,\"fleetWide\":false,\"n\":-12,\"s\":\"\u00e9 x\",\"a\":[null,{}]}"));
        for (String changed : new String[] {"{\"n\":1.5}", "{\"n\":1e5}", "{\"n\":-0}", "{ \"a\":1}", "[1, 2]",
            "{\"s\":\"a\\/b\"}", "{\"s\":\"\ud83d\ude80\"}", "{\"n\":2E1}"}) {
            assertFalse(JobJson.writtenAsStored(changed), changed);
        }
        // Random stored JSON, in and out of jackson-jr's form: the answer is the maps' bytes either way.
        SplittableRandom random = new SplittableRandom(14);
        for (int i = 0; i < 3000; i++) {
            String payload = randomJson(random, 0);
            Job job = job("j-" + i, "k", JobStatus.DONE, "", i % 2 == 0 ? payload : null, payload);
            assertEquals(viaDetail(job, null), new String(JobJson.showBody(job, null), StandardCharsets.UTF_8), payload);
        }
    }

    /** A JSON value of random shape: numbers in every form, strings with escapes and non-BMP text, optional spaces. */
    private static String randomJson(SplittableRandom random, int depth) {
        String space = random.nextInt(8) == 0 ? " " : "";
        int pick = random.nextInt(depth > 3 ? 6 : 8);
        return switch (pick) {
            case 0 -> String.valueOf(random.nextInt(-1000, 1000));
            case 1 -> random.nextBoolean() ? String.valueOf(random.nextLong()) : "-0";
            case 2 -> random.nextBoolean() ? "12345678901234567890" : random.nextInt(100) + "." + random.nextInt(100)
                    + (random.nextBoolean() ? "e" + random.nextInt(-5, 5) : "");
            case 3 -> new String[] {"true", "false", "null"}[random.nextInt(3)];
            case 4, 5 -> {
                String[] pieces = {"a", "Z9", "\\u00e9", "\\\\", "\\\"", "\\n", "\\/", "\\u0001", "\u00fc", "\u4e2d",
                    "\\ud83d\\ude80", "\ud83d\ude80", " ", "e", "-0", "1.5"};
                StringBuilder text = new StringBuilder("\"");
                for (int n = random.nextInt(4); n > 0; n--) {
                    text.append(pieces[random.nextInt(pieces.length)]);
                }
                yield text.append('"').toString();
            }
            case 6 -> {
                StringBuilder array = new StringBuilder("[" + space);
                for (int n = random.nextInt(4); n > 0; n--) {
                    array.append(randomJson(random, depth + 1)).append(n > 1 ? "," + space : "");
                }
                yield array.append(']').toString();
            }
            default -> {
                StringBuilder object = new StringBuilder("{");
                for (int n = random.nextInt(4); n > 0; n--) {
                    object.append(space).append("\"k").append(n).append(random.nextBoolean() ? "\u00e9" : "").append("\":")
                            .append(space).append(randomJson(random, depth + 1)).append(n > 1 ? "," : "");
                }
                yield object.append('}').toString();
            }
        };
    }

    @Test
    void yearsPastFourDigitsAreWrittenAsTheFormatterSpellsThem() throws Exception {
        Instant far = Instant.parse("+12026-01-01T00:00:00Z");
        Job job = new Job("j", "cattle.reap", "alice", "{}", null, JobStatus.QUEUED, 0, far, AT, AT, 0, 1, null, null, "",
                null, false);
        assertEquals(viaDetail(job, null), new String(JobJson.showBody(job, null), StandardCharsets.UTF_8));
    }

    private static String viaMaps(List<Job> jobs, String cursor) throws Exception {
        List<Map<String, Object>> summaries = new ArrayList<>();
        jobs.forEach(job -> summaries.add(summary(job)));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("protocolVersion", Protocol.VERSION);
        body.put("jobs", summaries);
        body.put("nextCursor", cursor);
        return new String(MAPS.asBytes(body), StandardCharsets.UTF_8);
    }

    private static String viaDetail(Job job, Map<String, Object> task) throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("protocolVersion", Protocol.VERSION);
        Map<String, Object> detail = detail(job);
        if (task != null) {
            detail.put("task", task);
        }
        body.put("job", detail);
        return new String(MAPS.asBytes(body), StandardCharsets.UTF_8);
    }

    /** The v1 JobSummary, plus the additive {@code priority} and {@code cancelRequested}: the reference. */
    static Map<String, Object> summary(Job job) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("jobId", job.id());
        json.put("kind", job.kind());
        json.put("status", Statuses.toWire(job.status()).wireName());
        json.put("requester", job.requester());
        json.put("idempotencyKey", job.idempotencyKey() == null ? "" : job.idempotencyKey());
        json.put("priority", job.priority());
        json.put("createdAt", WireTime.format(job.createdAt()));
        json.put("updatedAt", WireTime.format(job.updatedAt()));
        json.put("runAt", WireTime.format(job.runAt()));
        json.put("attempt", job.attempt());
        json.put("maxAttempts", job.maxAttempts());
        json.put("lastError", job.lastError());
        json.put("cancelRequested", job.cancelRequested());
        if (job.resultJson() != null) {
            json.put("result", parse(job.resultJson()));
        }
        return json;
    }

    /** The summary and the stored payload: the reference. */
    static Map<String, Object> detail(Job job) {
        Map<String, Object> json = summary(job);
        json.put("payload", parse(job.payloadJson()));
        return json;
    }

    private static Object parse(String json) {
        try {
            return JSON.std.anyFrom(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Job job(String id, String key, JobStatus status, String lastError, String result) {
        return job(id, key, status, lastError, result, "{}");
    }

    private static Job job(String id, String key, JobStatus status, String lastError, String result, String payload) {
        return new Job(id, "cattle.reap", "alice", payload, key, status, -3, AT.plusSeconds(60), AT, AT.plusMillis(5), 2,
                5, null, null, lastError, result, status == JobStatus.RUNNING);
    }
}
