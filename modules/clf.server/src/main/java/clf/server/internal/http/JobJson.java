package clf.server.internal.http;

import clf.protocol.WireTime;
import clf.queue.Job;
import clf.queue.JobEvent;
import clf.server.internal.wire.Statuses;
import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Jobs and events as protocol v1 shows them. */
final class JobJson {
    private JobJson() {
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
