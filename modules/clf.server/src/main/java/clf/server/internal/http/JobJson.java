package clf.server.internal.http;

import clf.protocol.WireTime;
import clf.queue.Job;
import clf.queue.JobEvent;
import clf.server.internal.wire.Statuses;
import clf.protocol.Protocol;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Jobs and events as protocol v1 shows them. */
final class JobJson {
    private static final JsonFactory FACTORY = new JsonFactory();
    /** Writes null map values too, as the rest of the bot API does ({@code "nextCursor": null}). */
    private static final JSON WRITER = JSON.std.with(JSON.Feature.WRITE_NULL_PROPERTIES);

    private JobJson() {
    }

    /**
     * A list answer, {@code {"protocolVersion":1,"jobs":[summary…],"nextCursor":…}}, the bytes
     * {@link #summary} maps written by jackson-jr would be, streamed: a list of 50 spent most of
     * its time finding a writer for each value of 50 maps. A stored {@code result} (JSON the
     * store checked) still goes through jackson-jr, so it reads exactly as before.
     */
    static byte[] listBody(List<Job> jobs, String nextCursor) {
        try (ByteArrayBuilder bytes = new ByteArrayBuilder(256 + jobs.size() * 400);
                JsonGenerator json = FACTORY.createGenerator(bytes)) {
            json.writeStartObject();
            json.writeNumberField("protocolVersion", Protocol.VERSION);
            json.writeArrayFieldStart("jobs");
            for (Job job : jobs) {
                writeSummary(json, job);
            }
            json.writeEndArray();
            json.writeStringField("nextCursor", nextCursor);
            json.writeEndObject();
            json.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@link #summary}, field for field and in its order. */
    private static void writeSummary(JsonGenerator json, Job job) throws IOException {
        json.writeStartObject();
        json.writeStringField("jobId", job.id());
        json.writeStringField("kind", job.kind());
        json.writeStringField("status", Statuses.toWire(job.status()).wireName());
        json.writeStringField("requester", job.requester());
        json.writeStringField("idempotencyKey", job.idempotencyKey() == null ? "" : job.idempotencyKey());
        json.writeNumberField("priority", job.priority());
        json.writeStringField("createdAt", WireTime.format(job.createdAt()));
        json.writeStringField("updatedAt", WireTime.format(job.updatedAt()));
        json.writeStringField("runAt", WireTime.format(job.runAt()));
        json.writeNumberField("attempt", job.attempt());
        json.writeNumberField("maxAttempts", job.maxAttempts());
        json.writeStringField("lastError", job.lastError());
        json.writeBooleanField("cancelRequested", job.cancelRequested());
        if (job.resultJson() != null) {
            json.writeFieldName("result");
            json.writeRawValue(WRITER.asString(parse(job.resultJson())));
        }
        json.writeEndObject();
    }

    /** The v1 JobSummary, plus the additive {@code priority} and {@code cancelRequested}. */
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

    /** The summary and the stored payload. */
    static Map<String, Object> detail(Job job) {
        Map<String, Object> json = summary(job);
        json.put("payload", parse(job.payloadJson()));
        return json;
    }

    static Map<String, Object> event(JobEvent event) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", event.id());
        json.put("at", WireTime.format(event.at()));
        json.put("type", event.type());
        json.put("message", event.message());
        json.put("attempt", event.attempt());
        return json;
    }

    /** The store only keeps text it checked to be JSON, so this cannot fail on stored data. */
    private static Object parse(String json) {
        try {
            return JSON.std.anyFrom(json);
        } catch (IOException e) {
            throw new UncheckedIOException("stored JSON does not parse", e);
        }
    }
}
