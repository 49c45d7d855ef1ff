package clf.server.internal.http;

import clf.protocol.InvalidInputException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The path segments and query parameters of a request, percent-decoded strictly: a malformed
 * escape or invalid UTF-8 is an error naming where it was, never a silent substitution.
 * (Undertow's own URL decoding is off so that this is the only decoder.)
 */
record RequestTarget(List<String> segments, Map<String, String> query) {

    static RequestTarget parse(String rawPath, String rawQuery) {
        List<String> segments = new ArrayList<>();
        if (!rawPath.startsWith("/")) {
            throw new InvalidInputException("path", "an absolute path", rawPath);
        }
        // "/v1/jobs/" keeps its empty last segment, so a trailing slash never matches a route.
        for (String segment : rawPath.substring(1).split("/", -1)) {
            segments.add(decode("path", segment, false));
        }
        Map<String, String> query = new LinkedHashMap<>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = decode("query", eq < 0 ? pair : pair.substring(0, eq), true);
                String value = decode("query parameter " + name, eq < 0 ? "" : pair.substring(eq + 1), true);
                // A repeated parameter adds to a comma list: status=queued&status=running.
                query.merge(name, value, (a, b) -> a.isEmpty() ? b : b.isEmpty() ? a : a + "," + b);
            }
        }
        return new RequestTarget(List.copyOf(segments), Map.copyOf(query));
    }

    static String decode(String field, String raw, boolean plusIsSpace) {
        if (raw.indexOf('%') < 0 && (!plusIsSpace || raw.indexOf('+') < 0)) {
            return raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                int hi = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
                int lo = hi >= 0 ? Character.digit(raw.charAt(i + 2), 16) : -1;
                if (hi < 0 || lo < 0) {
                    throw new InvalidInputException(field, "valid percent-encoding (%XX)", raw);
                }
                bytes.write(hi * 16 + lo);
                i += 2;
            } else if (c == '+' && plusIsSpace) {
                bytes.write(' ');
            } else {
                byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(utf8, 0, utf8.length);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidInputException(field, "percent-encoded UTF-8", raw);
        }
    }
}
