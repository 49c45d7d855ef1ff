package clf.server.internal.http;

import clf.protocol.Protocol;
import clf.protocol.WireTime;
import clf.queue.Job;
import clf.queue.JobEvent;
import clf.server.internal.wire.Statuses;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Jobs and events as protocol v1 shows them. A show or list answer is streamed field by field;
 * its bytes are those jackson-jr wrote for the v1 summary and detail maps the answers were once
 * built from ({@code JobJsonTest} keeps those maps as the reference): v1 JobSummary plus the
 * additive {@code priority} and {@code cancelRequested}, and {@code result} when there is one;
 * a detail adds {@code payload}.
 */
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
    private static final SerializedString JOB = new SerializedString("job");
    private static final SerializedString PAYLOAD = new SerializedString("payload");
    private static final SerializedString TASK = new SerializedString("task");

    /** Writes null map values too, as the rest of the bot API does ({@code "nextCursor": null}). */
    private static final JSON WRITER = JSON.std.with(JSON.Feature.WRITE_NULL_PROPERTIES);

    private JobJson() {
    }

    /**
     * A list answer, {@code {"protocolVersion":1,"jobs":[summary…],"nextCursor":…}}. Streamed: as
     * maps, a list of 50 spent most of its time finding a writer for each value of 50 maps.
     */
    static byte[] listBody(List<Job> jobs, String nextCursor) {
        return answer(256 + jobs.size() * 400, json -> {
            json.writeFieldName(JOBS);
            json.writeStartArray();
            byte[] time = new byte[WireTime.LENGTH];
            for (Job job : jobs) {
                json.writeStartObject();
                writeSummary(json, job, time);
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeFieldName(NEXT_CURSOR);
            json.writeString(nextCursor);
        });
    }

    /**
     * A show answer, {@code {"protocolVersion":1,"job":{detail…}}}, with a spawn job's
     * {@code task} last.
     *
     * @param task a spawn job's {@code task}, or null for none
     */
    static byte[] showBody(Job job, Map<String, Object> task) {
        return answer(512 + job.payloadJson().length(), json -> {
            json.writeFieldName(JOB);
            json.writeStartObject();
            writeSummary(json, job, new byte[WireTime.LENGTH]);
            json.writeFieldName(PAYLOAD);
            writeStored(json, job.payloadJson());
            if (task != null) {
                json.writeFieldName(TASK);
                json.writeRawValue(WRITER.asString(task));
            }
            json.writeEndObject();
        });
    }

    /** What an answer holds after its {@code protocolVersion}. */
    private interface Fields {
        void write(JsonGenerator json) throws IOException;
    }

    /** {@code {"protocolVersion":1,…}} with {@code fields} in place of the dots, about {@code size} bytes. */
    private static byte[] answer(int size, Fields fields) {
        try (ByteArrayBuilder bytes = new ByteArrayBuilder(size); JsonGenerator json = FACTORY.createGenerator(bytes)) {
            json.writeStartObject();
            json.writeFieldName(PROTOCOL_VERSION);
            json.writeNumber(Protocol.VERSION);
            fields.write(json);
            json.writeEndObject();
            json.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A summary's fields, in v1's order, into the object {@code json} has open. */
    private static void writeSummary(JsonGenerator json, Job job, byte[] time) throws IOException {
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
        writeTime(json, job.createdAt(), time);
        json.writeFieldName(UPDATED_AT);
        writeTime(json, job.updatedAt(), time);
        json.writeFieldName(RUN_AT);
        writeTime(json, job.runAt(), time);
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
            writeStored(json, job.resultJson());
        }
    }

    /** A time as {@link WireTime#format} spells it; its ASCII needs no escaping. */
    private static void writeTime(JsonGenerator json, Instant instant, byte[] scratch) throws IOException {
        if (WireTime.write(instant, scratch, 0)) {
            json.writeRawUTF8String(scratch, 0, WireTime.LENGTH);
        } else {
            json.writeString(WireTime.format(instant));
        }
    }

    /**
     * Stored JSON (the store keeps only text it checked) as jackson-jr wrote it once read into
     * maps. Most stored JSON is already in that form (the bot API stores what jackson-jr wrote)
     * and goes out as it is; any other is copied token by token, with no map built in between,
     * so numbers come out in jackson-jr's form (1.50 is 1.5).
     */
    private static void writeStored(JsonGenerator json, String stored) throws IOException {
        if (writtenAsStored(stored)) {
            json.writeRawValue(stored);
            return;
        }
        try (JsonParser parser = FACTORY.createParser(stored)) {
            parser.nextToken();
            json.copyCurrentStructure(parser);
        }
    }

    /**
     * Whether jackson-jr writes valid JSON {@code stored} back exactly as it is: no whitespace
     * between tokens, no escape or character beyond the BMP in a string (it writes both in its
     * own way), and only whole numbers other than {@code -0} (it writes a fraction or an
     * exponent as a double).
     */
    static boolean writtenAsStored(String stored) {
        boolean inString = false;
        for (int i = 0, n = stored.length(); i < n; i++) {
            char c = stored.charAt(i);
            if (inString) {
                if (c == '"') {
                    inString = false;
                } else if (c == '\\' || Character.isSurrogate(c)) {
                    return false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '-') {
                if (i + 1 < n && stored.charAt(i + 1) == '0') {
                    return false;
                }
            } else if (c == '.' || c <= ' ') {
                return false;
            } else if ((c == 'e' || c == 'E') && i > 0 && isDigit(stored.charAt(i - 1))) {
                return false; // an exponent; an e after a letter is in true or false
            }
        }
        return true;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
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
}
