package clf.image;

import clf.image.MalformedRequests.Case;
import clf.image.MalformedRequests.Delivery;
import clf.image.MalformedRequests.Expect;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Random malformed requests from a seed, as many as asked, for either listener of the daemon:
 * the bot API (Unix socket) and the cattle listener (TCP, {@code GET /v1/cattle/env}). Where
 * {@link MalformedRequests} is a fixed catalogue of known mistakes (the bot API's cases start
 * with it), this draws at random: random JSON and wrong types in enqueue bodies, truncated,
 * garbage and oversized bodies, odd bearer tokens, and protocol abuse on top of a refused
 * request (huge, many and duplicate headers, bad Content-Length, broken chunking, NUL and other
 * control bytes, bad header syntax and line ends, bad request lines, trailing garbage).
 *
 * <p>No case is a valid request, by construction: a body carries at least one field of the
 * wrong type (or is no usable JSON at all), a bearer token is never one that was issued, and
 * protocol abuse starts from a request the listener refuses whatever its headers say (a method
 * mutation only where every method is refused). Application-level cases (well-formed HTTP)
 * must get a 4xx; protocol abuse is half-closed after writing and may get a 4xx or a close.
 */
final class RequestFuzzer {
    enum Listener {
        BOT_API,
        CATTLE
    }

    private static final String ENQUEUE = "/v1/jobs/enqueue";
    private static final String ENV = "/v1/cattle/env";

    private final Listener listener;
    private final Random random;

    private RequestFuzzer(Listener listener, long seed) {
        this.listener = listener;
        this.random = new Random(seed ^ (listener.ordinal() + 1) * 0x9E3779B97F4A7C15L);
    }

    /**
     * Cases adding up to at least {@code requests} requests (a pipelined case counts each): for
     * the bot API the catalogue first, then random ones; for the cattle listener random ones.
     */
    static List<Case> generate(Listener listener, long seed, int requests) {
        RequestFuzzer fuzzer = new RequestFuzzer(listener, seed);
        List<Case> cases = new ArrayList<>();
        int count = 0;
        if (listener == Listener.BOT_API) {
            for (Case c : MalformedRequests.generate(seed)) {
                if (count >= requests) {
                    break;
                }
                cases.add(c);
                count += Math.max(1, c.responses());
            }
        }
        while (count < requests) {
            Case c = fuzzer.next();
            cases.add(c);
            count += Math.max(1, c.responses());
        }
        return cases;
    }

    private Case next() {
        int roll = random.nextInt(100);
        if (roll < 30) {
            return listener == Listener.BOT_API ? badBody() : badBearer();
        } else if (roll < 38) {
            return badRoute();
        } else if (roll < 88) {
            return protocolAbuse();
        } else if (roll < 95) {
            return cutOff();
        }
        return badRequestLine();
    }

    // ------------------------------------------------------------------ a request as lines

    /** A request under construction: its line, header lines and body, rendered with {@link #eol}. */
    private static final class Raw {
        String line;
        final List<String> headers = new ArrayList<>();
        byte[] body = new byte[0];
        String eol = "\r\n";
        /** Whether every method on this target is refused (so the method may be mutated). */
        boolean anyMethodRefused;

        Raw(String line, boolean anyMethodRefused) {
            this.line = line;
            this.anyMethodRefused = anyMethodRefused;
            headers.add("Host: clf");
        }

        Raw body(byte[] bytes) {
            body = bytes;
            headers.removeIf(h -> h.regionMatches(true, 0, "Content-Length:", 0, 15));
            headers.add("Content-Length: " + bytes.length);
            return this;
        }

        byte[] render() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(latin1(line + eol));
            for (String header : headers) {
                out.writeBytes(latin1(header + eol));
            }
            out.writeBytes(latin1(eol));
            out.writeBytes(body);
            return out.toByteArray();
        }
    }

    private static byte[] latin1(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private Case whole(String category, String label, byte[] bytes, Expect expect) {
        return new Case(category, label, bytes, expect, Delivery.WHOLE, 1, false, false);
    }

    private Case halfClosed(String category, String label, byte[] bytes) {
        return new Case(category, label, bytes, Expect.REFUSED, Delivery.HALF_CLOSE, 1, false, false);
    }

    /** What a well-formed request that the listener refuses must get. */
    private Expect appLevel() {
        return listener == Listener.BOT_API ? Expect.JSON_4XX : Expect.ANSWERED_4XX;
    }

    // ------------------------------------------------------------------ bodies (bot API)

    private Case badBody() {
        int kind = random.nextInt(100);
        String label;
        byte[] body;
        if (kind < 35) {
            label = "wrong types";
            body = utf8(MalformedRequests.json(wrongTypes()));
        } else if (kind < 55) {
            label = "random json";
            body = utf8(MalformedRequests.json(randomTopLevel()));
        } else if (kind < 75) {
            byte[] full = utf8(MalformedRequests.json(random.nextBoolean() ? MalformedRequests.reap() : MalformedRequests.spawn()));
            body = Arrays.copyOf(full, 1 + random.nextInt(full.length - 1)); // never the closing brace
            label = "truncated json";
        } else if (kind < 85) {
            body = randomBytes(1 + random.nextInt(2048));
            if (new String(body, StandardCharsets.ISO_8859_1).isBlank()) {
                body[0] = 'x';
            }
            label = "random bytes";
        } else if (kind < 92) {
            String valid = MalformedRequests.json(MalformedRequests.reap());
            // (Not a byte order mark in front: JSON parsers may skip one, and ours does, as RFC 8259 allows.)
            String[] after = {" x", "]", "}", ",", " // c", "\u0000", " " + valid, "\uFEFF"};
            String[] before = {"]", "}", ",", "// c\n", "\u0000", "x", "[", "\"\":"};
            body = utf8(random.nextBoolean() ? valid + after[random.nextInt(after.length)]
                    : before[random.nextInt(before.length)] + valid);
            label = "json with junk";
        } else if (kind < 97) {
            Map<String, Object> body0 = wrongTypes();
            body0.put("pad", "p".repeat(MalformedRequests.MAX_BODY + random.nextInt(MalformedRequests.MAX_BODY * 3)));
            body = utf8(MalformedRequests.json(body0));
            label = "oversized " + body.length;
        } else {
            byte[] valid = utf8(MalformedRequests.json(wrongTypes()));
            int at = 1 + random.nextInt(valid.length - 2);
            byte[][] bad = {{(byte) 0xff}, {(byte) 0xc3, (byte) 0x28}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
                {(byte) 0xc0, (byte) 0xaf}, {(byte) 0xf8, (byte) 0x88, (byte) 0x80, (byte) 0x80}, {0}};
            byte[] insert = bad[random.nextInt(bad.length)];
            body = new byte[valid.length + insert.length];
            System.arraycopy(valid, 0, body, 0, at);
            System.arraycopy(insert, 0, body, at, insert.length);
            System.arraycopy(valid, at, body, at + insert.length, valid.length - at);
            label = "bad utf-8";
        }
        Raw raw = new Raw("POST " + ENQUEUE + " HTTP/1.1", false);
        if (random.nextInt(4) == 0) {
            raw.headers.add("Content-Type: " + pick("application/json", "text/plain", "application/x-www-form-urlencoded",
                    "application/json; charset=latin1", "", "*/*"));
        }
        return whole("fuzz-body", label, raw.body(body).render(), Expect.JSON_4XX);
    }

    /** The JSON type a field of a valid enqueue body has. */
    private enum Type {
        STRING, INT, BOOL, OBJECT
    }

    private static final Map<String, Type> TOP = fields("protocolVersion", Type.INT, "requester", Type.STRING,
            "idempotencyKey", Type.STRING, "kind", Type.STRING, "runAt", Type.STRING, "priority", Type.INT,
            "maxAttempts", Type.INT, "payload", Type.OBJECT);
    private static final Map<String, Type> SPAWN = fields("identity", Type.STRING, "task", Type.OBJECT, "ttl", Type.STRING,
            "image", Type.STRING, "serverType", Type.STRING, "location", Type.STRING, "autoShutdown", Type.BOOL,
            "withGithubToken", Type.BOOL);
    private static final Map<String, Type> TASK = fields("schemaVersion", Type.INT, "taskId", Type.STRING,
            "type", Type.STRING, "message", Type.STRING, "callbackUrl", Type.STRING);
    private static final Map<String, Type> REAP = fields("dryRun", Type.BOOL);

    private static Map<String, Type> fields(Object... pairs) {
        Map<String, Type> fields = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            fields.put((String) pairs[i], (Type) pairs[i + 1]);
        }
        return fields;
    }

    /**
     * A reap or spawn body with one to three fields (top level, payload or task) set to a
     * value of another type; never null, which would read as absent. Any one of them makes the
     * body invalid: every field is type-checked.
     */
    @SuppressWarnings("unchecked")
    private Map<String, Object> wrongTypes() {
        boolean spawn = random.nextBoolean();
        Map<String, Object> body = spawn ? MalformedRequests.spawn() : MalformedRequests.reap();
        int n = 1 + random.nextInt(3);
        for (int i = 0; i < n; i++) {
            int where = random.nextInt(3);
            Map<String, Object> target = body;
            Map<String, Type> fields = TOP;
            if (where >= 1 && body.get("payload") instanceof Map<?, ?> payload) {
                target = (Map<String, Object>) payload;
                fields = spawn ? SPAWN : REAP;
                if (where == 2 && spawn && target.get("task") instanceof Map<?, ?> task) {
                    target = (Map<String, Object>) task;
                    fields = TASK;
                }
            }
            List<String> names = List.copyOf(fields.keySet());
            String name = names.get(random.nextInt(names.size()));
            target.put(name, wrongValue(fields.get(name)));
        }
        return body;
    }

    /** A random non-null JSON value of a type other than {@code type}. */
    private Object wrongValue(Type type) {
        while (true) {
            Object value = switch (random.nextInt(7)) {
                case 0 -> randomString(40);
                case 1 -> random.nextBoolean();
                case 2 -> random.nextInt(2000) - 1000;
                case 3 -> pick(1.5, -0.0, 1e300, 4294967296L, Long.MAX_VALUE);
                case 4 -> randomList(2);
                case 5 -> randomMap(2);
                default -> pick("", " ", "1", "true", "null", "{}", "[]", "\u0000", "\ud83d\ude00");
            };
            boolean sameType = switch (type) {
                case STRING -> value instanceof String;
                case INT -> value instanceof Integer;
                case BOOL -> value instanceof Boolean;
                case OBJECT -> value instanceof Map;
            };
            if (!sameType) {
                return value;
            }
        }
    }

    /**
     * Any JSON value; an object among them is never a valid body: its protocolVersion, if it
     * has one, is never the number 1 (and without one, a body is refused).
     */
    private Object randomTopLevel() {
        Object value = randomValue(3);
        if (value instanceof Map<?, ?> map && Integer.valueOf(1).equals(map.get("protocolVersion"))) {
            @SuppressWarnings("unchecked")
            Map<String, Object> body = (Map<String, Object>) map;
            body.put("protocolVersion", "1");
        }
        return value;
    }

    private Object randomValue(int depth) {
        int choice = random.nextInt(depth > 0 ? 9 : 7);
        return switch (choice) {
            case 0 -> null;
            case 1 -> random.nextBoolean();
            case 2 -> random.nextInt();
            case 3 -> random.nextLong();
            case 4 -> random.nextDouble() * Math.pow(10, random.nextInt(600) - 300);
            case 5, 6 -> randomString(60);
            case 7 -> randomList(depth - 1);
            default -> randomMap(depth - 1);
        };
    }

    private List<Object> randomList(int depth) {
        List<Object> list = new ArrayList<>();
        for (int i = random.nextInt(5); i > 0; i--) {
            list.add(randomValue(depth));
        }
        return list;
    }

    private Map<String, Object> randomMap(int depth) {
        String[] keys = {"protocolVersion", "kind", "payload", "requester", "idempotencyKey", "runAt", "priority",
            "maxAttempts", "dryRun", "identity", "task", "ttl", "", " ", "\u0000", "k"};
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = random.nextInt(6); i > 0; i--) {
            String key = random.nextInt(3) == 0 ? randomString(12) : keys[random.nextInt(keys.length)];
            map.put(key, randomValue(depth));
        }
        return map;
    }

    /** Up to {@code max} chars from ASCII, control characters, Latin-1, CJK and emoji. */
    private String randomString(int max) {
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(max + 1); i > 0; i--) {
            switch (random.nextInt(6)) {
                case 0 -> text.append((char) random.nextInt(0x20));
                case 1 -> text.append((char) (0xa0 + random.nextInt(0x60)));
                case 2 -> text.append((char) (0x4e00 + random.nextInt(0x1000)));
                case 3 -> text.appendCodePoint(0x1f600 + random.nextInt(0x40));
                default -> text.append((char) (0x20 + random.nextInt(0x5f)));
            }
        }
        return text.toString();
    }

    private byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    // ------------------------------------------------------------------ bearer tokens (cattle)

    /** {@code GET /v1/cattle/env} with an Authorization value that is no issued token: 401 (or 400 from Undertow). */
    private Case badBearer() {
        Raw raw = new Raw("GET " + ENV + " HTTP/1.1", true);
        String label;
        int kind = random.nextInt(10);
        switch (kind) {
            case 0 -> {
                label = "none";
            }
            case 1 -> {
                raw.headers.add("Authorization: " + pick("", "Bearer", "Bearer ", "Bearer\t", "Basic dXNlcjpwYXNz",
                        "Token abc", "bearer", "Bearerabc", "Bearer-abc", "Digest x", "NTLM TlRMTVNT"));
                label = "not a bearer";
            }
            case 2 -> {
                raw.headers.add("Authorization: Bearer " + hex(64));
                label = "unknown 64-hex token";
            }
            case 3 -> {
                raw.headers.add("Authorization: " + caseMangled("bearer") + pick(" ", "\t", "  ", " \t ") + hex(1 + random.nextInt(128)));
                label = "odd case and spaces";
            }
            case 4 -> {
                raw.headers.add("Authorization: Bearer " + "a".repeat(1 + random.nextInt(16 * 1024)));
                label = "long token";
            }
            case 5 -> {
                raw.headers.add("Authorization: Bearer " + printable(1 + random.nextInt(200)));
                label = "printable junk token";
            }
            case 6 -> {
                StringBuilder latin = new StringBuilder("Authorization: Bearer ");
                for (int i = 1 + random.nextInt(80); i > 0; i--) {
                    latin.append((char) (0x80 + random.nextInt(0x80)));
                }
                raw.headers.add(latin.toString());
                label = "high-bit bytes";
            }
            case 7 -> {
                raw.headers.add("Authorization: Bearer " + hex(64));
                raw.headers.add("Authorization: Bearer " + hex(64));
                label = "two authorization headers";
            }
            case 8 -> {
                raw.headers.add("Authorization: Bearer " + hex(32) + " " + hex(32));
                label = "token with a space";
            }
            default -> {
                raw.headers.add("authorization: BEARER " + hex(64).toUpperCase(Locale.ROOT));
                label = "upper-case token";
            }
        }
        if (random.nextInt(5) == 0) {
            raw.headers.add(pick("Connection: close", "Connection: keep-alive", "Accept: */*", "X-Forwarded-For: 100.64.0.9",
                    "Cookie: a=b", "Accept-Encoding: gzip"));
        }
        return whole("fuzz-bearer", label, raw.render(), Expect.ANSWERED_4XX);
    }

    private String hex(int length) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            text.append("0123456789abcdef".charAt(random.nextInt(16)));
        }
        return text.toString();
    }

    private String printable(int length) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            text.append((char) (0x21 + random.nextInt(0x5e)));
        }
        return text.toString();
    }

    private String caseMangled(String word) {
        StringBuilder text = new StringBuilder();
        for (char c : word.toCharArray()) {
            text.append(random.nextBoolean() ? Character.toUpperCase(c) : c);
        }
        return text.toString();
    }

    // ------------------------------------------------------------------ routes

    /** A well-formed request to a route that does not exist, with a method it refuses, or a bad query. */
    private Case badRoute() {
        String[][] bot = {
            {"GET", "/"}, {"GET", "/v2/jobs"}, {"GET", "/v1/jobs/" + hex(8) + "-no-such-job"}, {"DELETE", "/v1/jobs"},
            {"POST", "/v1/jobs/" + hex(12) + "/cancel"}, {"GET", "/v1/jobs/" + hex(12) + "/events"}, {"PUT", ENQUEUE},
            {"GET", ENQUEUE}, {"PATCH", "/healthz"}, {"POST", "/healthz"}, {"GET", "/v1/jobs?limit=" + pick("-1", "x", "1.5", "1e2")},
            {"GET", "/v1/jobs?status=" + pick("bogus", "QUEUED", "queued,nope", "%FF")}, {"GET", "/v1/jobs?kind=" + hex(5)},
            {"GET", "/v1/jobs?cursor=x" + hex(9)}, {"GET", "/v1/" + hex(1 + random.nextInt(30))},
        };
        String[][] cattle = {
            {"GET", "/"}, {"GET", "/v1/cattle"}, {"GET", ENV + "/"}, {"POST", ENV}, {"PUT", ENV}, {"DELETE", "/healthz"},
            {"POST", "/healthz"}, {"GET", "/v1/cattle/secrets"}, {"GET", "/v1/jobs"}, {"OPTIONS", "*"},
            {"GET", "/" + hex(1 + random.nextInt(40))}, {"GET", "//v1/cattle/env"}, {"GET", "/V1/CATTLE/ENV"},
        };
        String[] route = listener == Listener.BOT_API ? bot[random.nextInt(bot.length)] : cattle[random.nextInt(cattle.length)];
        Raw raw = new Raw(route[0] + " " + route[1] + " HTTP/1.1", false);
        if (!route[0].equals("GET") && random.nextBoolean()) {
            raw.body(utf8(MalformedRequests.json(randomTopLevel())));
        }
        return whole("fuzz-route", route[0] + " " + route[1], raw.render(), appLevel());
    }

    // ------------------------------------------------------------------ protocol abuse

    /** A request the listener refuses whatever its headers say. */
    private Raw refusedBase() {
        if (listener == Listener.BOT_API) {
            return switch (random.nextInt(3)) {
                case 0 -> new Raw("POST /healthz HTTP/1.1", false).body(utf8(MalformedRequests.json(MalformedRequests.reap())));
                case 1 -> new Raw("GET /v1/nope HTTP/1.1", true);
                default -> new Raw("POST " + ENQUEUE + " HTTP/1.1", false).body(utf8(MalformedRequests.json(wrongTypes())));
            };
        }
        return switch (random.nextInt(3)) {
            case 0 -> {
                Raw raw = new Raw("GET " + ENV + " HTTP/1.1", true);
                raw.headers.add("Authorization: Bearer " + hex(64));
                yield raw;
            }
            case 1 -> new Raw("GET " + ENV + " HTTP/1.1", true);
            default -> new Raw("POST /v1/cattle/nope HTTP/1.1", true).body(utf8("{}"));
        };
    }

    private Case protocolAbuse() {
        Raw raw = refusedBase();
        List<String> applied = new ArrayList<>();
        byte[] tail = new byte[0];
        int n = 1 + random.nextInt(3);
        for (int i = 0; i < n; i++) {
            switch (random.nextInt(12)) {
                case 0 -> {
                    int size = random.nextInt(4) == 0 ? 16 * 1024 + random.nextInt(2 << 20) : 1 + random.nextInt(20_000);
                    raw.headers.add("X-Fuzz-Big: " + "a".repeat(size));
                    applied.add("huge header " + size);
                }
                case 1 -> {
                    int count = 30 + random.nextInt(random.nextBoolean() ? 100 : 3000);
                    for (int h = 0; h < count; h++) {
                        raw.headers.add("X-H" + h + ": " + printable(1 + random.nextInt(20)));
                    }
                    applied.add(count + " headers");
                }
                case 2 -> {
                    String header = pick("Host: other", "Content-Length: " + random.nextInt(100), "Transfer-Encoding: chunked",
                            "Authorization: Bearer " + hex(64), "Connection: close", "Content-Type: text/plain",
                            "Expect: 100-continue", "Upgrade: h2c", "Connection: Upgrade, HTTP2-Settings");
                    raw.headers.add(header);
                    raw.headers.add(header);
                    applied.add("duplicate " + header.substring(0, header.indexOf(':')));
                }
                case 3 -> {
                    raw.headers.removeIf(h -> h.regionMatches(true, 0, "Content-Length:", 0, 15));
                    String value = pick("-1", "abc", "1e3", "0x10", " 5 ", "+5", "99999999999999999999", "18446744073709551616",
                            "", "5, 6", "5 5", "１", "\t7", "2147483648", "-0");
                    raw.headers.add("Content-Length: " + value);
                    raw.body = randomBytes(random.nextInt(40));
                    applied.add("content-length [" + value + "]");
                }
                case 4 -> {
                    raw.headers.removeIf(h -> h.regionMatches(true, 0, "Content-Length:", 0, 15) && random.nextBoolean());
                    raw.headers.add("Transfer-Encoding: " + pick("chunked", "Chunked", " chunked", "chunked, gzip", "gzip, chunked",
                            "gzip", "identity", "chunked\t", "chunk", "x-custom"));
                    raw.body = latin1(pick("zz\r\nabc\r\n0\r\n\r\n", "5\r\nab", "ffffffffffffffffffff\r\nabc", "-1\r\nx\r\n",
                            "3\r\nabcdef\r\n0\r\n\r\n", "3;" + "e".repeat(random.nextInt(9000)) + "\r\nabc\r\n0\r\n\r\n",
                            "0\r\nX-Trailer: " + printable(30) + "\r\n\r\n", "1\r\na", "4\nabcd\n0\n\n",
                            "0\r\n" + "T: v\r\n".repeat(random.nextInt(200)) + "\r\n", hex(3) + "\r\n" + printable(40)));
                    applied.add("chunked abuse");
                }
                case 5 -> {
                    raw.headers.add("Authorization: " + pick("Bearer " + hex(64) + "\u0000", "Bearer \u0000" + hex(10),
                            "Bearer " + "x".repeat(40_000), "Bearer\u000b" + hex(64), "\u0000", "Bearer " + hex(64) + "\u007f"));
                    applied.add("authorization abuse");
                }
                case 6 -> {
                    applied.add("NUL in " + insertInHead(raw, "\u0000"));
                }
                case 7 -> {
                    char c = random.nextBoolean() ? (char) (1 + random.nextInt(31)) : (char) (0x7f + random.nextInt(0x81));
                    applied.add(String.format("0x%02x in ", (int) c) + insertInHead(raw, String.valueOf(c)));
                }
                case 8 -> {
                    String bad = pick("No-Colon-Here", ": empty name", "X-A : space before colon", " folded continuation",
                            "X B: space in name", "X-A:\tv\t", "   ", "X-\u00e9: latin name", "X-A: v\rX-B: w", "Host:");
                    raw.headers.add(random.nextInt(raw.headers.size() + 1), bad);
                    applied.add("header syntax [" + bad.strip() + "]");
                }
                case 9 -> {
                    raw.eol = pick("\n", "\r", "\r\r\n", "\n\r");
                    applied.add("line ends " + raw.eol.replace("\r", "CR").replace("\n", "LF"));
                }
                case 10 -> {
                    mutateLine(raw);
                    applied.add("request line [" + raw.line.substring(0, Math.min(raw.line.length(), 60)) + "]");
                }
                default -> {
                    tail = random.nextBoolean() ? randomBytes(1 + random.nextInt(500))
                            : latin1("GET /healthz HTTP/1.1\r\nHost: clf\r\n" + printable(20));
                    applied.add("trailing garbage");
                }
            }
        }
        byte[] head = raw.render();
        byte[] bytes = Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, bytes, head.length, tail.length);
        if (random.nextInt(20) == 0) {
            return new Case("fuzz-protocol", String.join(", ", applied) + " (aborted)", bytes, Expect.REFUSED,
                    Delivery.ABORT, 0, false, false);
        }
        return halfClosed("fuzz-protocol", String.join(", ", applied), bytes);
    }

    /** Puts {@code text} at a random place in the request line or a header; says where. */
    private String insertInHead(Raw raw, String text) {
        if (random.nextBoolean()) {
            int at = random.nextInt(raw.line.length() + 1);
            raw.line = raw.line.substring(0, at) + text + raw.line.substring(at);
            return "request line";
        }
        int index = random.nextInt(raw.headers.size());
        String header = raw.headers.get(index);
        int at = random.nextInt(header.length() + 1);
        raw.headers.set(index, header.substring(0, at) + text + header.substring(at));
        return "header";
    }

    /** Mangles the version, the target or (where every method is refused) the method. */
    private void mutateLine(Raw raw) {
        String[] parts = Arrays.copyOf(raw.line.split(" ", 3), 3);
        for (int i = 0; i < parts.length; i++) {
            parts[i] = parts[i] == null ? "" : parts[i];
        }
        switch (random.nextInt(raw.anyMethodRefused ? 3 : 2)) {
            case 0 -> parts[2] = pick("HTTP/1.2", "HTTP/2.0", "HTTP/0.9", "HTTP/9.9", "HTTPS/1.1", "http/1.1", "HTTP/1.1 ",
                    "HTTP/1", "HTTP/1.1.1", "HTTP/", "", "HTTP/1.1 x", "HTTP/١.١");
            case 1 -> parts[1] = pick("http://clf" + parts[1], "https://x:1" + parts[1], parts[1] + "#frag", parts[1] + "%",
                    parts[1] + "%00", parts[1] + "/../../etc/passwd", parts[1].replace("/", "\\"), parts[1] + " " + parts[1],
                    parts[1] + "?" + "q".repeat(random.nextInt(40_000)), "*", "", parts[1] + "\u00ff");
            default -> parts[0] = pick("G E T", "FOO", "get", "GETT", "CONNECT", "TRACE", "M".repeat(2000), "", "PRI",
                    "\u00c7ET");
        }
        raw.line = String.join(" ", parts);
    }

    private Case badRequestLine() {
        StringBuilder line = new StringBuilder();
        for (int i = 1 + random.nextInt(200); i > 0; i--) {
            line.append(random.nextInt(8) == 0 ? (char) random.nextInt(256) : (char) (0x20 + random.nextInt(0x5f)));
        }
        return halfClosed("fuzz-line", "random line", latin1(line + pick("\r\n\r\n", "\r\n", "\n\n", "")));
    }

    /** An application-level refusal cut off part-way, then half-closed or abandoned. */
    private Case cutOff() {
        Case source = listener == Listener.BOT_API ? badBody() : badBearer();
        byte[] bytes = source.bytes();
        byte[] cut = Arrays.copyOf(bytes, 1 + random.nextInt(bytes.length - 1));
        if (random.nextBoolean()) {
            return new Case("fuzz-cut", "aborted after " + cut.length + " of " + bytes.length, cut, Expect.REFUSED,
                    Delivery.ABORT, 0, false, false);
        }
        return halfClosed("fuzz-cut", "half-closed after " + cut.length + " of " + bytes.length, cut);
    }

    @SafeVarargs
    private <T> T pick(T... choices) {
        return choices[random.nextInt(choices.length)];
    }
}
