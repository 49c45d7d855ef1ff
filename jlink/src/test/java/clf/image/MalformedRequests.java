package clf.image;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Generates malformed bot-API requests as raw bytes, from a seed. Each case says what the daemon
 * may answer: application-level mistakes (a body or query it parses) must get a v1 JSON error;
 * protocol-level garbage may get Undertow's bare 4xx or a closed connection instead. No case is
 * a valid request: protocol garbage targets {@code POST /healthz}, which the API refuses (405)
 * even if Undertow lets the oddity through.
 */
final class MalformedRequests {

    /** What answers are acceptable. */
    enum Expect {
        /** A 4xx whose body is a v1 error with a non-empty message. */
        JSON_4XX,
        /** A 4xx, whatever its body (the cattle listener's errors are not v1 errors). */
        ANSWERED_4XX,
        /** A 4xx (JSON or not) or a closed connection without a response. */
        REFUSED,
    }

    /** How the bytes are delivered. */
    enum Delivery {
        /** Write all, then read one response. */
        WHOLE,
        /** Write all, half-close, then read (a response or end of input). */
        HALF_CLOSE,
        /** Write all and close at once: nothing to read; the daemon must simply cope. */
        ABORT,
    }

    /**
     * @param responses how many responses a WHOLE delivery reads (pipelined requests)
     * @param http10    the connection must be closed by the daemon after the response(s)
     */
    record Case(String category, String label, byte[] bytes, Expect expect, Delivery delivery, int responses,
            boolean http10, boolean head) {
        @Override
        public String toString() {
            String text = new String(bytes, 0, Math.min(bytes.length, 160), StandardCharsets.ISO_8859_1)
                    .replace("\r", "\\r").replace("\n", "\\n");
            return category + "/" + label + " [" + bytes.length + " bytes: " + text + (bytes.length > 160 ? "…" : "") + "]";
        }
    }

    static final int MAX_BODY = 256 * 1024;
    private static final JSON WRITER = JSON.std.with(JSON.Feature.WRITE_NULL_PROPERTIES);
    private static final String ENQUEUE = "/v1/jobs/enqueue";

    private final Random random;
    private final List<Case> cases = new ArrayList<>();

    private MalformedRequests(long seed) {
        this.random = new Random(seed);
    }

    static List<Case> generate(long seed) {
        MalformedRequests gen = new MalformedRequests(seed);
        gen.brokenJson();
        gen.wrongTypes();
        gen.oversized();
        gen.percentEncoding();
        gen.unknownRoutes();
        gen.wrongMethods();
        gen.garbageRequestLines();
        gen.badFraming();
        gen.hugeHeaders();
        gen.cutOff();
        gen.http10();
        gen.pipelined();
        return List.copyOf(gen.cases);
    }

    // ------------------------------------------------------------------ valid bases

    static Map<String, Object> reap() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("protocolVersion", 1);
        body.put("idempotencyKey", "never-stored");
        body.put("kind", "cattle.reap");
        body.put("payload", new LinkedHashMap<>(Map.of("dryRun", true)));
        return body;
    }

    static Map<String, Object> spawn() {
        Map<String, Object> task = new LinkedHashMap<>();
        task.put("schemaVersion", 1);
        task.put("taskId", "t1");
        task.put("type", "clawdbot.gateway.agent");
        task.put("message", "hi");
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("identity", "rex");
        payload.put("task", task);
        payload.put("ttl", "2h");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("protocolVersion", 1);
        body.put("kind", "cattle.spawn");
        body.put("payload", payload);
        body.put("runAt", UnixHttp.LATER); // stays queued: the store must look the same before and after
        return body;
    }

    static String json(Object value) {
        try {
            return WRITER.asString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> child(Map<String, Object> map, String key) {
        return (Map<String, Object>) map.get(key);
    }

    // ------------------------------------------------------------------ categories

    private void add(String category, String label, byte[] bytes, Expect expect) {
        cases.add(new Case(category, label, bytes, expect, Delivery.WHOLE, 1, false, false));
    }

    private void add(String category, String label, String text, Expect expect) {
        add(category, label, text.getBytes(StandardCharsets.UTF_8), expect);
    }

    private static String post(String target, String body) {
        return UnixHttp.request("POST", target, body);
    }

    private static byte[] post(String target, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("POST " + target + " HTTP/1.1\r\nHost: clf\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(body);
        return out.toByteArray();
    }

    private void brokenJson() {
        String[] valid = {json(reap()), json(spawn())};
        for (int i = 0; i < 200; i++) {
            String full = valid[random.nextInt(valid.length)];
            String prefix = full.substring(0, 1 + random.nextInt(full.length() - 1)); // never the closing brace
            add("broken-json", "truncated", post(ENQUEUE, prefix), Expect.JSON_4XX);
        }
        for (int i = 0; i < 50; i++) {
            byte[] garbage = new byte[1 + random.nextInt(200)];
            random.nextBytes(garbage);
            if (isBlank(garbage)) {
                garbage[0] = 'x';
            }
            add("broken-json", "random-bytes", post(ENQUEUE, garbage), Expect.JSON_4XX);
        }
        String r = json(reap());
        String[] fixed = {
            "{", "}", "[", "{\"protocolVersion\":1,}", "{'protocolVersion':1}", "{protocolVersion:1}",
            "{\"protocolVersion\":NaN}", "{\"protocolVersion\":Infinity}", "{\"protocolVersion\":01}",
            "{\"protocolVersion\":1 /* c */}", "// c\n" + r, r + " x", r + r, r + ",", "[" + r + "]",
            "\"" + r.replace("\"", "\\\"") + "\"", "null", "true", "1", "[]", "{}", "{\"a\":\"\\uZZZZ\"}",
            "{\"protocolVersion\":1,\"kind\":\"cattle.reap\",\"kind\":\"cattle.spawn\"}",
            "{\"protocolVersion\":1,\"protocolVersion\":1,\"kind\":\"cattle.reap\"}",
            "[".repeat(5000) + "]".repeat(5000), "{\"a\":".repeat(3000) + "1" + "}".repeat(3000),
            "{\"protocolVersion\":1e400}", "{\"protocolVersion\":" + "9".repeat(2000) + "}",
            "\uFEFF" + r.substring(0, r.length() - 1),
        };
        for (String body : fixed) {
            add("broken-json", "syntax", post(ENQUEUE, body), Expect.JSON_4XX);
        }
        // Invalid UTF-8 inside an otherwise well-formed body.
        byte[][] bad = {{(byte) 0xff}, {(byte) 0xc3, (byte) 0x28}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
            {(byte) 0xe2, (byte) 0x82}, {(byte) 0xc0, (byte) 0xaf}, {(byte) 0xf8, (byte) 0x88, (byte) 0x80, (byte) 0x80}};
        for (int i = 0; i < 20; i++) {
            byte[] valid8 = r.getBytes(StandardCharsets.UTF_8);
            int at = r.indexOf("never-stored") + random.nextInt("never-stored".length());
            byte[] insert = bad[random.nextInt(bad.length)];
            byte[] body = new byte[valid8.length + insert.length];
            System.arraycopy(valid8, 0, body, 0, at);
            System.arraycopy(insert, 0, body, at, insert.length);
            System.arraycopy(valid8, at, body, at + insert.length, valid8.length - at);
            add("broken-json", "invalid-utf8", post(ENQUEUE, body), Expect.JSON_4XX);
        }
    }

    private static boolean isBlank(byte[] bytes) {
        for (byte b : bytes) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }

    /** One field of a valid body replaced by a wrong value (or removed); each must be refused. */
    private void wrongTypes() {
        Object absent = new Object();
        List<Object> notString = Arrays.asList(5, true, List.of(), Map.of(), 1.5);
        mutate("protocolVersion", absent, null, "1", 1.5, 0, 2, -1, true, List.of(), Map.of(), 4294967297L);
        mutate("requester", 5, true, List.of(), Map.of(), "Has Upper", "a b", "x".repeat(65), "é", "bot/../x");
        mutate("idempotencyKey", 5, true, List.of(), Map.of(), "tab\there", "nul\u0000", "k".repeat(201));
        mutate("kind", absent, null, 5, true, List.of(), Map.of(), "", "cattle.unknown", "CATTLE.REAP", "cattle",
                "cattle.reap.x", "shell.exec");
        mutate("runAt", 5, true, List.of(), "not-a-time", "2026-13-01T00:00:00Z", "yesterday", "2026-11-27 10:00");
        mutate("priority", "high", 1.5, true, 4294967296L, List.of(), Map.of(), "1");
        mutate("maxAttempts", 0, 11, -1, "3", 3.5, true, 4294967296L, List.of());
        for (Object bad : List.of("str", 5, true, List.of(), Map.of("dryRun", "yes"), Map.of("dryRun", 1),
                Map.of("unknown", true), Map.of("dryRun", List.of()))) {
            Map<String, Object> body = reap();
            body.put("payload", bad);
            add("wrong-type", "reap payload=" + json(bad), post(ENQUEUE, json(body)), Expect.JSON_4XX);
        }
        spawnPayload(null, "payload", null);
        spawnPayload(null, "identity", absent);
        for (Object bad : Arrays.asList(5, "", "Rex", "1rex", "r".repeat(64), "re x", true)) {
            spawnPayload(null, "identity", bad);
        }
        for (Object bad : Arrays.asList(absent, "str", Map.of(), List.of(), 5)) {
            spawnPayload(null, "task", bad);
        }
        for (Object bad : Arrays.asList(absent, 5, "", " ", "t".repeat(129), true)) {
            spawnPayload("task", "taskId", bad);
        }
        for (Object bad : Arrays.asList(absent, 5, "", "   ", "m".repeat(16_385))) {
            spawnPayload("task", "message", bad);
        }
        for (Object bad : Arrays.asList(2, "1", 0)) {
            spawnPayload("task", "schemaVersion", bad);
        }
        for (Object bad : Arrays.asList("other", 5)) {
            spawnPayload("task", "type", bad);
        }
        for (Object bad : Arrays.asList("ftp://x", "http://", 5, "javascript:alert(1)")) {
            spawnPayload("task", "callbackUrl", bad);
        }
        spawnPayload("task", "extra", "field");
        for (Object bad : Arrays.asList("2x", 5, "48h", "-1h", "0h", "h", "2.5h", true)) {
            spawnPayload(null, "ttl", bad);
        }
        for (String field : List.of("image", "serverType", "location")) {
            for (Object bad : Arrays.asList("bad image!", 5, "x".repeat(129), "a b", true)) {
                spawnPayload(null, field, bad);
            }
        }
        for (Object bad : Arrays.asList("yes", 1, List.of())) {
            spawnPayload(null, "autoShutdown", bad);
            spawnPayload(null, "withGithubToken", bad);
        }
        spawnPayload(null, "unknownField", 1);
        for (Object bad : notString) {
            spawnPayload(null, "identity", bad);
        }
    }

    /** Each bad value for a top-level field, on a reap and on a spawn body. */
    private void mutate(String field, Object... badValues) {
        for (Object bad : badValues) {
            for (Map<String, Object> body : List.of(reap(), spawn())) {
                if (bad != null && bad.getClass() == Object.class) {
                    body.remove(field);
                } else {
                    body.put(field, bad);
                }
                add("wrong-type", field + "=" + (bad != null && bad.getClass() == Object.class ? "<absent>" : json(bad)),
                        post(ENQUEUE, json(body)), Expect.JSON_4XX);
            }
        }
    }

    /** A spawn body with payload[.under].field set to {@code bad} (or removed, for a bare Object). */
    private void spawnPayload(String under, String field, Object bad) {
        Map<String, Object> body = spawn();
        Map<String, Object> target = field.equals("payload") ? body
                : under == null ? child(body, "payload") : child(child(body, "payload"), under);
        if (bad != null && bad.getClass() == Object.class) {
            target.remove(field);
        } else {
            target.put(field, bad);
        }
        String name = "payload" + (under == null ? "" : "." + under) + (field.equals("payload") ? "" : "." + field);
        add("wrong-type", name + "=" + (bad != null && bad.getClass() == Object.class ? "<absent>" : abbreviated(bad)),
                post(ENQUEUE, json(body)), Expect.JSON_4XX);
    }

    private static String abbreviated(Object value) {
        String text = json(value);
        return text.length() > 40 ? text.substring(0, 40) + "…(" + text.length() + ")" : text;
    }

    private void oversized() {
        String head = "{\"protocolVersion\":1,\"kind\":\"cattle.reap\",\"idempotencyKey\":\"";
        for (int size : new int[] {MAX_BODY + 1, MAX_BODY + 100, 300_000, 1 << 20}) {
            // A complete, otherwise valid body that is simply too long.
            String body = head + "k".repeat(size - head.length() - 3) + "\"}";
            add("oversized", "content-length " + body.length(), post(ENQUEUE, body), Expect.JSON_4XX);
        }
        for (long declared : new long[] {MAX_BODY + 1L, 1L << 30, Integer.MAX_VALUE, 1L << 40}) {
            // Declares a huge body and sends only its start: the refusal must not wait for the rest.
            String text = "POST " + ENQUEUE + " HTTP/1.1\r\nHost: clf\r\nContent-Length: " + declared + "\r\n\r\n" + head;
            add("oversized", "declared " + declared + ", sent little", text, Expect.JSON_4XX);
        }
        for (int total : new int[] {MAX_BODY + 1, 300_000, 1 << 20}) {
            StringBuilder text = new StringBuilder("POST " + ENQUEUE + " HTTP/1.1\r\nHost: clf\r\nTransfer-Encoding: chunked\r\n\r\n");
            int sent = 0;
            while (sent < total) {
                int n = Math.min(total - sent, 1 + random.nextInt(65_536));
                text.append(Integer.toHexString(n)).append("\r\n").append(" ".repeat(n)).append("\r\n");
                sent += n;
            }
            text.append("0\r\n\r\n");
            add("oversized", "chunked " + total, text.toString(), Expect.JSON_4XX);
        }
        // Exactly at the limit: read in full, then refused as JSON (blank body = {} lacks protocolVersion).
        add("oversized", "exactly the limit, blank", post(ENQUEUE, " ".repeat(MAX_BODY)), Expect.JSON_4XX);
    }

    private void percentEncoding() {
        String[] badSyntax = {"%", "%4", "%zz", "%G0", "%%", "%-1", "%2", "a%", "%u0041"};
        String[] badUtf8 = {"%FF", "%C3%28", "%ED%A0%80", "%E2%82", "%C0%AF", "%F8%88%80%80%80", "%80", "%FE%FF"};
        String[] pathShapes = {"/v1/jobs/%s", "/v1/jobs/%s/cancel", "/v1/jobs/%s/events", "/v1/%s", "/%s"};
        String[] queryShapes = {"/v1/jobs?status=%s", "/v1/jobs?limit=%s", "/v1/jobs?requester=%s", "/v1/jobs?kind=%s",
            "/v1/jobs?cursor=%s", "/v1/jobs?%s=1", "/v1/jobs?status=queued&kind=%s"};
        for (int i = 0; i < 50; i++) {
            String shape = random.nextBoolean() ? pathShapes[random.nextInt(pathShapes.length)]
                    : queryShapes[random.nextInt(queryShapes.length)];
            String method = shape.contains("cancel") ? "POST" : "GET";
            if (random.nextBoolean()) {
                String bad = badSyntax[random.nextInt(badSyntax.length)];
                // Undertow's parser may refuse these itself (a bare 400) before the API sees them.
                add("percent-encoding", "syntax " + shape, UnixHttp.request(method, shape.formatted(bad), null), Expect.REFUSED);
            } else {
                String bad = badUtf8[random.nextInt(badUtf8.length)];
                add("percent-encoding", "utf-8 " + shape, UnixHttp.request(method, shape.formatted(bad), null), Expect.JSON_4XX);
            }
        }
        // Well-encoded but invalid query values.
        // limit=0, 501 or 99999 is clamped into 1–500 as v1 did, so only non-numbers are bad.
        for (String query : List.of("limit=-1", "limit=1.5", "limit=1e2", "limit=x",
                "status=bogus", "status=queued,bogus", "kind=cattle", "kind=x", "requester=BAD", "requester=a%20b",
                "cursor=garbage", "cursor=%00", "limit=10&limit=20", "status=QUEUED")) {
            add("bad-query", query, UnixHttp.request("GET", "/v1/jobs?" + query, null), Expect.JSON_4XX);
        }
    }

    private void unknownRoutes() {
        String[][] routes = {
            {"GET", "/"}, {"GET", "/v1"}, {"GET", "/v1/"}, {"GET", "/v1/jobs/"}, {"GET", "/v2/jobs"}, {"GET", "/v1/job"},
            {"GET", "/healthz/"}, {"GET", "/HEALTHZ"}, {"GET", "//v1/jobs"}, {"GET", "/v1//jobs"},
            {"GET", "/v1/jobs/no-such-job"}, {"GET", "/v1/jobs/00000000-0000-0000-0000-000000000000"},
            {"POST", "/v1/jobs/no-such-job/cancel"}, {"GET", "/v1/jobs/no-such-job/events"},
            {"GET", "/v1/jobs/x/y/z"}, {"GET", "/v1/jobs/x/unknown"}, {"POST", "/v1/jobs//cancel"},
            {"GET", "/v1/jobs/" + "x".repeat(4000)}, {"GET", "/v1/jobs/%00"}, {"GET", "/v1/jobs/a%2Fb"},
            {"GET", "/v1/jobs/..%2F..%2Fetc%2Fpasswd"}, {"POST", "/v1/jobs/enqueue/"},
        };
        for (String[] route : routes) {
            add("unknown-route", route[0] + " " + route[1], UnixHttp.request(route[0], route[1], route[0].equals("POST") ? "{}" : null),
                    Expect.JSON_4XX);
        }
    }

    private void wrongMethods() {
        String[][] routes = {{"/healthz", "GET"}, {"/v1/jobs", "GET"}, {ENQUEUE, "POST"}, {"/v1/jobs/some-id", "GET"},
            {"/v1/jobs/some-id/cancel", "POST"}, {"/v1/jobs/some-id/events", "GET"}};
        // (Undertow compares methods case-insensitively, so "get" is GET: not a malformed request here.)
        String[] methods = {"GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "FOO", "HEAD"};
        for (String[] route : routes) {
            for (String method : methods) {
                if (method.equals(route[1])) {
                    continue;
                }
                boolean head = method.equals("HEAD");
                String body = method.equals("GET") || head || method.equals("TRACE") ? null : json(reap());
                cases.add(new Case("wrong-method", method + " " + route[0],
                        UnixHttp.request(method, route[0], body).getBytes(StandardCharsets.UTF_8),
                        Expect.JSON_4XX, Delivery.WHOLE, 1, false, head));
            }
        }
    }

    private static final String PRINTABLE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 /:?#[]@!$&'()*+,;=%\t";

    private void garbageRequestLines() {
        for (int i = 0; i < 60; i++) {
            StringBuilder line = new StringBuilder();
            int length = 1 + random.nextInt(120);
            for (int j = 0; j < length; j++) {
                line.append(random.nextInt(8) == 0 ? (char) random.nextInt(32) : PRINTABLE.charAt(random.nextInt(PRINTABLE.length())));
            }
            add("garbage-line", "random", line + "\r\n\r\n", Expect.REFUSED);
        }
        for (int i = 0; i < 20; i++) {
            byte[] bytes = new byte[1 + random.nextInt(300)];
            random.nextBytes(bytes);
            add("garbage-line", "random-bytes", bytes, Expect.REFUSED);
        }
        String[] lines = {
            "\r\n\r\n", "POST\r\n\r\n", "POST /healthz\r\n\r\n", "POST /healthz HTTP/1.1 extra\r\nHost: clf\r\n\r\n",
            "POST /healthz HTTP/1.2\r\nHost: clf\r\n\r\n", "POST /healthz HTTP/2.0\r\nHost: clf\r\n\r\n",
            "POST /healthz HTTX/1.1\r\nHost: clf\r\n\r\n", "POST /healthz HTTP/1.1\nHost: clf\n\n",
            "POST  /healthz  HTTP/1.1\r\nHost: clf\r\n\r\n", "POST /healthz HTTP/1.1\r\n\r\n",
            "POST /heal thz HTTP/1.1\r\nHost: clf\r\n\r\n", "POST /healthz\u0000 HTTP/1.1\r\nHost: clf\r\n\r\n",
            "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "POST * HTTP/1.1\r\nHost: clf\r\n\r\n",
            "POST healthz HTTP/1.1\r\nHost: clf\r\n\r\n", "\u0016\u0003\u0001\u0000\u00a5\u0001\u0000\u0000\u00a1\u0003\u0003",
            "POST /healthz HTTP/1.1\r\nHost: clf\r\nBad Header\r\n\r\n",
            "POST /healthz HTTP/1.1\r\nHost: clf\r\n : empty name\r\n\r\n",
            "POST /healthz HTTP/1.1\r\nHost: clf\r\nX-A : space before colon\r\n\r\n",
            "POST /healthz HTTP/1.1\r\nHost: clf\r\nX-A: a\r\n folded\r\n\r\n",
            "POST /healthz HTTP/1.1\r\nHost: clf\r\nX-A: \u0000\u0001\r\n\r\n",
            "POST /healthz HTTP/1.1\r\nHost: clf\r\nHost: other\r\n\r\n",
            "CONNECT clf:80 HTTP/1.1\r\nHost: clf\r\n\r\n",
        };
        for (String line : lines) {
            add("garbage-line", "fixed", line.getBytes(StandardCharsets.ISO_8859_1), Expect.REFUSED);
        }
    }

    /** Body framing the server must refuse or cannot use. */
    private void badFraming() {
        String head = "POST /healthz HTTP/1.1\r\nHost: clf\r\n";
        String[] framings = {
            "Content-Length: abc\r\n\r\n", "Content-Length: -1\r\n\r\n", "Content-Length: 1 2\r\n\r\nab",
            "Content-Length: 5\r\nContent-Length: 6\r\n\r\nabcdef", "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            "Transfer-Encoding: gzip\r\n\r\nabc", "Transfer-Encoding: chunked\r\n\r\nzz\r\n",
            "Transfer-Encoding: chunked\r\n\r\n-5\r\nabc\r\n0\r\n\r\n", "Transfer-Encoding: chunked\r\n\r\n3\r\nabcdef\r\n0\r\n\r\n",
            "Transfer-Encoding: chunked\r\n\r\nffffffffffffffff\r\nabc", "Content-Length: 99999999999999999999\r\n\r\n",
            "Content-Length: +5\r\n\r\nabcde", "Content-Length: 0x10\r\n\r\n",
            // Undertow's framing wraps past 2^64: these read as 0 and 5 there (and once got a 500).
            "Content-Length: 18446744073709551616\r\n\r\nGET /healthz HTTP/1.1\r\nHost: clf\r\n\r\n",
            "Content-Length: 18446744073709551621\r\n\r\nabcde",
        };
        // Half-closed after the bytes: a framing that leaves the body unfinished must not hang.
        for (String framing : framings) {
            halfClosed("bad-framing", framing.substring(0, framing.indexOf('\r')), head + framing);
        }
        // The same on the enqueue route, which reads the body: if the framing were accepted, it is still no job.
        for (String framing : framings) {
            halfClosed("bad-framing", "enqueue " + framing.substring(0, framing.indexOf('\r')),
                    "POST " + ENQUEUE + " HTTP/1.1\r\nHost: clf\r\n" + framing);
        }
    }

    private void halfClosed(String category, String label, String text) {
        cases.add(new Case(category, label, text.getBytes(StandardCharsets.ISO_8859_1), Expect.REFUSED,
                Delivery.HALF_CLOSE, 1, false, false));
    }

    private void hugeHeaders() {
        String head = "POST /healthz HTTP/1.1\r\nHost: clf\r\n";
        add("huge-headers", "one 17 KiB header", head + "X-Big: " + "a".repeat(17 * 1024) + "\r\n\r\n", Expect.REFUSED);
        add("huge-headers", "one 1 MiB header", head + "X-Big: " + "a".repeat(1 << 20) + "\r\n\r\n", Expect.REFUSED);
        add("huge-headers", "100 headers", head + headers(100, 10) + "\r\n", Expect.REFUSED);
        add("huge-headers", "1000 headers", head + headers(1000, 10) + "\r\n", Expect.REFUSED);
        add("huge-headers", "64 KiB name", head + "X-" + "n".repeat(64 * 1024) + ": v\r\n\r\n", Expect.REFUSED);
        add("huge-headers", "20 KiB target", "POST /healthz?" + "q".repeat(20 * 1024) + " HTTP/1.1\r\nHost: clf\r\n\r\n", Expect.REFUSED);
        add("huge-headers", "1 MiB target", "POST /" + "p".repeat(1 << 20) + " HTTP/1.1\r\nHost: clf\r\n\r\n", Expect.REFUSED);
        add("huge-headers", "40 x 500 B headers", head + headers(40, 500) + "\r\n", Expect.REFUSED);
        for (int i = 0; i < 6; i++) {
            int count = 60 + random.nextInt(200);
            add("huge-headers", count + " random headers", head + headers(count, 1 + random.nextInt(300)) + "\r\n", Expect.REFUSED);
        }
    }

    private static String headers(int count, int valueLength) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < count; i++) {
            text.append("X-H").append(i).append(": ").append("v".repeat(valueLength)).append("\r\n");
        }
        return text.toString();
    }

    /** Requests cut off part-way. Cuts inside the head are read back after a half-close. */
    private void cutOff() {
        List<byte[]> sources = new ArrayList<>();
        sources.add(post(ENQUEUE, json(reap())).getBytes(StandardCharsets.UTF_8));
        sources.add(post(ENQUEUE, json(spawn())).getBytes(StandardCharsets.UTF_8));
        sources.add(UnixHttp.request("GET", "/v1/jobs?limit=5", null).getBytes(StandardCharsets.UTF_8));
        sources.add(UnixHttp.request("POST", "/v1/jobs/x/cancel", "{}").getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < 150; i++) {
            byte[] source = sources.get(random.nextInt(sources.size()));
            byte[] cut = Arrays.copyOf(source, 1 + random.nextInt(source.length - 1));
            cases.add(new Case("cut-off", "aborted after " + cut.length + " of " + source.length, cut, Expect.REFUSED,
                    Delivery.ABORT, 0, false, false));
        }
        for (int i = 0; i < 50; i++) {
            byte[] source = sources.get(random.nextInt(sources.size()));
            int headEnd = new String(source, StandardCharsets.ISO_8859_1).indexOf("\r\n\r\n");
            byte[] cut = Arrays.copyOf(source, 1 + random.nextInt(headEnd + 2));
            cases.add(new Case("cut-off", "half-closed in the head after " + cut.length, cut, Expect.REFUSED,
                    Delivery.HALF_CLOSE, 1, false, false));
        }
    }

    /** Application-level mistakes over HTTP/1.0: a JSON error, then the daemon closes. */
    private void http10() {
        List<Case> appLevel = cases.stream()
                .filter(c -> c.expect() == Expect.JSON_4XX && c.delivery() == Delivery.WHOLE && !c.head()
                        && c.bytes().length < 4096)
                .toList();
        for (int i = 0; i < 50; i++) {
            Case base = appLevel.get(random.nextInt(appLevel.size()));
            String text = new String(base.bytes(), StandardCharsets.ISO_8859_1).replaceFirst(" HTTP/1\\.1\r\nHost: clf\r\n", " HTTP/1.0\r\n");
            cases.add(new Case("http-1.0", base.category() + "/" + base.label(), text.getBytes(StandardCharsets.ISO_8859_1),
                    Expect.JSON_4XX, Delivery.WHOLE, 1, true, false));
        }
    }

    /** 2–5 application-level mistakes written at once; each must be answered, in order. */
    private void pipelined() {
        List<Case> appLevel = cases.stream()
                .filter(c -> c.expect() == Expect.JSON_4XX && c.delivery() == Delivery.WHOLE && !c.http10() && !c.head()
                        && c.bytes().length < 4096 && !c.category().equals("oversized"))
                .toList();
        for (int i = 0; i < 40; i++) {
            int n = 2 + random.nextInt(4);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            StringBuilder labels = new StringBuilder();
            for (int j = 0; j < n; j++) {
                Case part = appLevel.get(random.nextInt(appLevel.size()));
                bytes.writeBytes(part.bytes());
                labels.append(j == 0 ? "" : " + ").append(part.category());
            }
            cases.add(new Case("pipelined", n + ": " + labels, bytes.toByteArray(), Expect.JSON_4XX, Delivery.WHOLE, n, false, false));
        }
    }
}
