package clf.server.internal.http;

import clf.protocol.WireTime;
import clf.queue.Job;
import clf.queue.JobEvent;
import clf.server.internal.wire.Statuses;
import clf.protocol.Protocol;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
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
    /** Field names encoded once: jackson-core writes a plain String name a character at a time. */
    private static final SerializedString PROTOCOL_VERSION = new SerializedString("protocolVersion");
    private static final SerializedString JOBS = new SerializedString("jobs");
    private static final SerializedString NEXT_CURSOR = new SerializedString("nextCursor");
    private static final SerializedString JOB_ID = new SerializedString("jobId");
    private static final SerializedString KIND = new SerializedString("kind");
    private static final SerializedString STATUS = new SerializedString("status");
    private static final SerializedString REQUESTER = new SerializedString("requester");
    private static final SerializedString IDEMPOTENCY_KEY = new SerializedString("idempotencyKey");
    private static final SerializedString PRIORITY = new SerializedString("priority");
    private static final SerializedString CREATED_AT = new SerializedString("createdAt");
    private static final SerializedString UPDATED_AT = new SerializedString("updatedAt");
    private static final SerializedString RUN_AT = new SerializedString("runAt");
    private static final SerializedString ATTEMPT = new SerializedString("attempt");
    private static final SerializedString MAX_ATTEMPTS = new SerializedString("maxAttempts");
    private static final SerializedString LAST_ERROR = new SerializedString("lastError");
    private static final SerializedString CANCEL_REQUESTED = new SerializedString("cancelRequested");
    private static final SerializedString RESULT = new SerializedString("result");
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
            json.writeFieldName(PROTOCOL_VERSION);
            json.writeNumber(Protocol.VERSION);
            json.writeFieldName(JOBS);
            json.writeStartArray();
            for (Job job : jobs) {
                writeSummary(json, job);
            }
            json.writeEndArray();
            json.writeFieldName(NEXT_CURSOR);
            json.writeString(nextCursor);
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
        json.writeFieldName(JOB_ID);
        json.writeString(job.id());
        json.writeFieldName(KIND);
        json.writeString(job.kind());
        json.writeFieldName(STATUS);
        json.writeString(Statuses.toWire(job.status()).wireName());
        json.writeFieldName(REQUESTER);
        json.writeString(job.requester());
        json.writeFieldName(IDEMPOTENCY_KEY);
        json.writeString(job.idempotencyKey() == null ? "" : job.idempotencyKey());
        json.writeFieldName(PRIORITY);
        json.writeNumber(job.priority());
        json.writeFieldName(CREATED_AT);
        json.writeString(WireTime.format(job.createdAt()));
        json.writeFieldName(UPDATED_AT);
        json.writeString(WireTime.format(job.updatedAt()));
        json.writeFieldName(RUN_AT);
        json.writeString(WireTime.format(job.runAt()));
        json.writeFieldName(ATTEMPT);
        json.writeNumber(job.attempt());
        json.writeFieldName(MAX_ATTEMPTS);
        json.writeNumber(job.maxAttempts());
        json.writeFieldName(LAST_ERROR);
        json.writeString(job.lastError());
        json.writeFieldName(CANCEL_REQUESTED);
        json.writeBoolean(job.cancelRequested());
        if (job.resultJson() != null) {
            json.writeFieldName(RESULT);
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
