package clf.cli;

import com.fasterxml.jackson.jr.ob.JSON;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The original v1 orchestrator's bot API as the reference spec (§1.1) describes it, as a
 * {@link FakeDaemon} handler: only its routes ({@code /healthz}, enqueue, list, show, cancel;
 * anything else is 404 {@code not found}), {@code requester} required in every enqueue (a
 * missing one is its zod 400, whose message is {@code "["}), v1's two kinds and five statuses,
 * unknown query parameters ignored, jobs in memory. Nobody runs the jobs: they stay queued.
 */
final class OriginalDaemon implements FakeDaemon.Handler {
    private final Map<String, Map<String, Object>> jobs = new LinkedHashMap<>();
    private Instant clock = Instant.parse("2026-01-17T21:08:30.000Z");

    @Override
    public synchronized byte[] respond(FakeDaemon.Request request) throws Exception {
        String method = request.method().toUpperCase(Locale.ROOT);
        int q = request.target().indexOf('?');
        String path = q < 0 ? request.target() : request.target().substring(0, q);
        Map<String, String> query = query(q < 0 ? "" : request.target().substring(q + 1));
        if (method.equals("GET") && path.equals("/healthz")) {
            return FakeDaemon.json(200, "{\"ok\":true}");
        }
        if (method.equals("POST") && path.equals("/v1/jobs/enqueue")) {
            return enqueue(request.body().isBlank() ? Map.of() : JSON.std.mapFrom(request.body()));
        }
        if (method.equals("GET") && path.equals("/v1/jobs")) {
            return list(query);
        }
        String[] parts = path.split("/", -1);
        if (parts.length == 4 && parts[1].equals("v1") && parts[2].equals("jobs") && !parts[3].isEmpty()
                && method.equals("GET")) {
            Map<String, Object> job = jobs.get(URLDecoder.decode(parts[3], StandardCharsets.UTF_8));
            if (job == null) {
                return error(404, "job not found");
            }
            return ok(Map.of("protocolVersion", 1, "job", job));
        }
        if (parts.length == 5 && parts[1].equals("v1") && parts[2].equals("jobs") && !parts[3].isEmpty()
                && parts[4].equals("cancel") && method.equals("POST")) {
            Map<String, Object> job = jobs.get(URLDecoder.decode(parts[3], StandardCharsets.UTF_8));
            if (job == null) {
                return error(404, "job not found");
            }
            if (!job.get("status").equals("queued") && !job.get("status").equals("running")) {
                return error(409, "job not cancelable (status=" + job.get("status") + ")");
            }
            job.put("status", "canceled");
            return ok(Map.of("protocolVersion", 1, "ok", true));
        }
        return error(404, "not found");
    }

    private byte[] enqueue(Map<String, Object> body) throws Exception {
        String requester = body.get("requester") instanceof String text ? text.strip() : "";
        Object kind = body.get("kind");
        if (!Integer.valueOf(1).equals(body.get("protocolVersion")) || requester.isEmpty()
                || !(kind.equals("cattle.spawn") || kind.equals("cattle.reap"))) {
            return error(400, "["); // zod v4's multi-line message, first line only (spec §1.1)
        }
        String key = body.get("idempotencyKey") instanceof String text ? text.strip() : "";
        for (Map<String, Object> job : jobs.values()) {
            if (!key.isEmpty() && job.get("requester").equals(requester) && job.get("idempotencyKey").equals(key)) {
                return ok(Map.of("protocolVersion", 1, "jobId", job.get("jobId")));
            }
        }
        clock = clock.plus(1, ChronoUnit.SECONDS);
        String id = UUID.randomUUID().toString();
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("jobId", id);
        job.put("kind", kind);
        job.put("status", "queued");
        job.put("requester", requester);
        job.put("idempotencyKey", key);
        job.put("createdAt", clock.toString().replace("Z", ".000Z"));
        job.put("updatedAt", clock.toString().replace("Z", ".000Z"));
        job.put("runAt", clock.toString().replace("Z", ".000Z"));
        job.put("attempt", 0);
        job.put("maxAttempts", 1);
        job.put("lastError", "");
        job.put("payload", body.get("payload"));
        jobs.put(id, job);
        return ok(Map.of("protocolVersion", 1, "jobId", id));
    }

    private byte[] list(Map<String, String> query) throws Exception {
        List<String> statuses = csv(query.get("status")).stream()
                .filter(List.of("queued", "running", "done", "failed", "canceled")::contains).toList();
        List<String> kinds = csv(query.get("kind"));
        String limitText = query.getOrDefault("limit", "");
        int limit = limitText.matches("\\d+") ? Math.max(1, Math.min(500, Integer.parseInt(limitText))) : 50;
        List<Map<String, Object>> found = new ArrayList<>();
        for (Map<String, Object> job : jobs.values()) {
            if ((!query.containsKey("requester") || job.get("requester").equals(query.get("requester").strip()))
                    && (statuses.isEmpty() || statuses.contains(job.get("status")))
                    && (kinds.isEmpty() || kinds.contains(job.get("kind")))) {
                Map<String, Object> summary = new LinkedHashMap<>(job);
                summary.remove("payload");
                found.add(summary);
            }
        }
        found.sort(Comparator.comparing((Map<String, Object> job) -> (String) job.get("createdAt")).reversed()
                .thenComparing(job -> (String) job.get("jobId")));
        return ok(Map.of("protocolVersion", 1, "jobs", found.subList(0, Math.min(limit, found.size()))));
    }

    private static List<String> csv(String value) {
        return value == null ? List.of() : Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new LinkedHashMap<>();
        for (String pair : raw.split("&")) {
            if (!pair.isEmpty()) {
                int eq = pair.indexOf('=');
                query.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(eq < 0 ? "" : pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return query;
    }

    private static byte[] ok(Map<String, Object> body) throws Exception {
        return FakeDaemon.json(200, JSON.std.asString(body));
    }

    private static byte[] error(int status, String message) throws Exception {
        return FakeDaemon.json(status, JSON.std.asString(Map.of("protocolVersion", 1, "error", Map.of("message", message))));
    }
}
