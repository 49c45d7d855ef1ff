package clf.server.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import clf.protocol.InvalidInputException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestTargetTest {
    @Test
    void splitsAndDecodesPathSegmentsAndQuery() {
        RequestTarget target = RequestTarget.parse("/v1/jobs/a%2Fb%20c", "status=queued&status=running&kind=cattle.reap&x=a+b");
        assertEquals(List.of("v1", "jobs", "a/b c"), target.segments());
        assertEquals(Map.of("status", "queued,running", "kind", "cattle.reap", "x", "a b"), target.query());
    }

    @Test
    void aTrailingSlashKeepsAnEmptySegment() {
        assertEquals(List.of("v1", "jobs", ""), RequestTarget.parse("/v1/jobs/", null).segments());
    }

    @Test
    void malformedEscapesAndInvalidUtf8AreErrors() {
        assertEquals("path: valid percent-encoding (%XX), got '%zz'",
                assertThrows(InvalidInputException.class, () -> RequestTarget.parse("/v1/jobs/%zz", null)).getMessage());
        assertThrows(InvalidInputException.class, () -> RequestTarget.parse("/v1/jobs/%4", null));
        assertEquals("query parameter status: percent-encoded UTF-8, got '%ff'",
                assertThrows(InvalidInputException.class, () -> RequestTarget.parse("/v1/jobs", "status=%ff")).getMessage());
    }
}
