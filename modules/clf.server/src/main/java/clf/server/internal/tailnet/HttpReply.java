package clf.server.internal.tailnet;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HTTP/1.1 response read off tailscaled's socket. Go's server frames a body by
 * Content-Length when the handler's output fits its 2 KiB buffer and by chunked
 * transfer-encoding when it does not (a whois answer usually does not), so both are read, and
 * a body that simply runs to the end of the connection too.
 *
 * @param headers names in lower case; a repeated header's values joined by ", "
 */
record HttpReply(int status, Map<String, String> headers, byte[] body) {
    private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.[01] (\\d{3})(?: .*)?");
    private static final byte[] HEAD_END = {'\r', '\n', '\r', '\n'};
    private static final int MAX_SNIPPET = 200;

    /**
     * The reply in the first {@code length} bytes of {@code raw} if it is all there; empty when
     * more bytes are needed.
     *
     * @param ended the connection has ended: nothing more will come
     * @throws LocalApiException when the bytes cannot be (or, ended, cannot become) a reply
     */
    static Optional<HttpReply> parse(byte[] raw, int length, boolean ended) throws LocalApiException {
        int headEnd = indexOf(raw, length, HEAD_END, 0);
        if (headEnd < 0) {
            return incomplete(ended, "the connection ended inside the response head");
        }
        String[] lines = new String(raw, 0, headEnd, StandardCharsets.ISO_8859_1).split("\r\n", -1);
        Matcher status = STATUS_LINE.matcher(lines[0]);
        if (!status.matches()) {
            throw new LocalApiException("not an HTTP/1.x status line: " + snippet(lines[0]));
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                throw new LocalApiException("not an HTTP header line: " + snippet(lines[i]));
            }
            headers.merge(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip(),
                    (first, second) -> first + ", " + second);
        }
        int bodyStart = headEnd + HEAD_END.length;
        byte[] body;
        String transferEncoding = headers.get("transfer-encoding");
        String contentLength = headers.get("content-length");
        if (transferEncoding != null) {
            if (!transferEncoding.equalsIgnoreCase("chunked")) {
                throw new LocalApiException("unsupported Transfer-Encoding: " + snippet(transferEncoding));
            }
            body = dechunk(raw, bodyStart, length);
            if (body == null) {
                return incomplete(ended, "the connection ended inside the chunked body");
            }
        } else if (contentLength != null) {
            int size = contentLength(contentLength);
            if (length - bodyStart < size) {
                return incomplete(ended, "the connection ended " + (size - (length - bodyStart))
                        + " bytes short of Content-Length " + size);
            }
            body = slice(raw, bodyStart, bodyStart + size);
        } else if (ended) {
            body = slice(raw, bodyStart, length);
        } else {
            return Optional.empty(); // the body runs to the end of the connection
        }
        return Optional.of(new HttpReply(Integer.parseInt(status.group(1)), headers, body));
    }

    /** The start of the body as one line of text, for a log line. */
    String bodySnippet() {
        return snippet(new String(body, StandardCharsets.UTF_8));
    }

    static String snippet(String text) {
        String line = text.strip().replaceAll("\\p{Cntrl}+", " ");
        return line.length() <= MAX_SNIPPET ? line : line.substring(0, MAX_SNIPPET) + "…";
    }

    private static Optional<HttpReply> incomplete(boolean ended, String problem) throws LocalApiException {
        if (ended) {
            throw new LocalApiException("truncated HTTP response: " + problem);
        }
        return Optional.empty();
    }

    private static int contentLength(String value) throws LocalApiException {
        try {
            int size = Integer.parseInt(value);
            if (size >= 0) {
                return size;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new LocalApiException("invalid Content-Length: " + snippet(value));
    }

    /**
     * The body of chunked transfer-encoding (RFC 9112 §7.1) starting at {@code from}: chunks of
     * {@code size-in-hex[;extensions] CRLF data CRLF}, a last chunk of size 0, trailer lines and
     * an empty line. Null when the bytes stop before that empty line.
     */
    private static byte[] dechunk(byte[] raw, int from, int length) throws LocalApiException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int at = from;
        while (true) {
            int lineEnd = indexOf(raw, length, new byte[] {'\r', '\n'}, at);
            if (lineEnd < 0) {
                return null;
            }
            String sizeField = new String(raw, at, lineEnd - at, StandardCharsets.ISO_8859_1);
            int semicolon = sizeField.indexOf(';');
            String hex = (semicolon >= 0 ? sizeField.substring(0, semicolon) : sizeField).strip();
            int size;
            try {
                size = hex.isEmpty() || hex.length() > 7 ? -1 : Integer.parseInt(hex, 16);
            } catch (NumberFormatException e) {
                size = -1;
            }
            if (size < 0) {
                throw new LocalApiException("invalid chunk size: " + snippet(sizeField));
            }
            at = lineEnd + 2;
            if (size == 0) {
                // Trailer lines (Go sends none), then the empty line that ends the message.
                while (true) {
                    int trailerEnd = indexOf(raw, length, new byte[] {'\r', '\n'}, at);
                    if (trailerEnd < 0) {
                        return null;
                    }
                    if (trailerEnd == at) {
                        return body.toByteArray();
                    }
                    at = trailerEnd + 2;
                }
            }
            if (length - at < size + 2) {
                return null;
            }
            if (raw[at + size] != '\r' || raw[at + size + 1] != '\n') {
                throw new LocalApiException("chunk of " + size + " bytes not followed by CRLF");
            }
            body.write(raw, at, size);
            at += size + 2;
        }
    }

    private static int indexOf(byte[] raw, int length, byte[] needle, int from) {
        outer:
        for (int i = from; i <= length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (raw[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static byte[] slice(byte[] raw, int from, int to) {
        byte[] part = new byte[to - from];
        System.arraycopy(raw, from, part, 0, part.length);
        return part;
    }
}
