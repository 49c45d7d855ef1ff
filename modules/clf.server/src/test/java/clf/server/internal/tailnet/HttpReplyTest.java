package clf.server.internal.tailnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Reading an HTTP/1.1 response as it arrives: complete, not yet complete, or never a response. */
class HttpReplyTest {
    static final String HEAD = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n";

    static Optional<HttpReply> parse(String raw, boolean ended) throws LocalApiException {
        byte[] bytes = raw.getBytes(StandardCharsets.ISO_8859_1);
        return HttpReply.parse(bytes, bytes.length, ended);
    }

    static String body(String raw) throws LocalApiException {
        return new String(parse(raw, false).orElseThrow().body(), StandardCharsets.UTF_8);
    }

    static String failure(String raw, boolean ended) {
        return assertThrows(LocalApiException.class, () -> parse(raw, ended)).getMessage();
    }

    @Test
    void contentLengthIsCompleteOnceThatManyBytesAreThere() throws LocalApiException {
        String raw = HEAD + "Content-Length: 7\r\n\r\n{\"a\":1}";
        for (int cut = 0; cut < raw.length(); cut++) {
            assertEquals(Optional.empty(), parse(raw.substring(0, cut), false), "cut at " + cut);
        }
        HttpReply reply = parse(raw, false).orElseThrow();
        assertEquals(200, reply.status());
        assertEquals("application/json", reply.headers().get("content-type"));
        assertEquals("{\"a\":1}", new String(reply.body(), StandardCharsets.UTF_8));
        assertTrue(failure(raw.substring(0, raw.length() - 2), true).contains("2 bytes short of Content-Length 7"));
    }

    @Test
    void chunkedBodiesAreJoinedWithExtensionsAndTrailersSkipped() throws LocalApiException {
        String raw = HEAD + "Transfer-Encoding: chunked\r\n\r\n"
                + "4;name=value\r\n{\"a\"\r\n" + "3\r\n:12\r\n" + "A\r\n3456789012\r\n" + "1\r\n}\r\n"
                + "0\r\nX-Trailer: yes\r\n\r\n";
        for (int cut = 0; cut < raw.length(); cut++) {
            assertEquals(Optional.empty(), parse(raw.substring(0, cut), false), "cut at " + cut);
        }
        assertEquals("{\"a\":123456789012}", body(raw));
        assertTrue(failure(raw.substring(0, raw.length() - 2), true).contains("inside the chunked body"));
    }

    @Test
    void brokenChunkingIsNeverAReply() {
        String head = HEAD + "Transfer-Encoding: chunked\r\n\r\n";
        assertTrue(failure(head + "zz\r\nab\r\n0\r\n\r\n", false).startsWith("invalid chunk size: zz"));
        assertTrue(failure(head + "-1\r\n", false).startsWith("invalid chunk size"));
        assertTrue(failure(head + "2\r\nabc\r\n0\r\n\r\n", false).contains("not followed by CRLF"));
        assertTrue(failure(HEAD + "Transfer-Encoding: gzip\r\n\r\n", false).contains("unsupported Transfer-Encoding"));
    }

    @Test
    void withoutALengthTheBodyEndsWithTheConnection() throws LocalApiException {
        String raw = HEAD + "\r\n{\"a\":1}";
        assertEquals(Optional.empty(), parse(raw, false));
        assertEquals("{\"a\":1}", new String(parse(raw, true).orElseThrow().body(), StandardCharsets.UTF_8));
    }

    @Test
    void whatIsNotAnHttpResponseIsSaidSo() {
        assertTrue(failure("SSH-2.0-OpenSSH_9.6\r\n\r\n", false).startsWith("not an HTTP/1.x status line"));
        assertTrue(failure("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n", false).startsWith("not an HTTP header line"));
        assertTrue(failure(HEAD + "Content-Length: lots\r\n\r\n", false).startsWith("invalid Content-Length"));
        assertTrue(failure(HEAD + "Content-Length: 2\r\nContent-Length: 3\r\n\r\n", false)
                .startsWith("invalid Content-Length: 2, 3"));
        assertTrue(failure("", true).contains("inside the response head"));
    }

    @Test
    void aSnippetIsOneShortLine() {
        assertEquals("a b", HttpReply.snippet("  a\r\n\tb\n"));
        assertEquals(201, HttpReply.snippet("x".repeat(500)).length());
    }
}
