package clf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import clf.protocol.ApiException;
import clf.protocol.ErrorCode;
import clf.protocol.InvalidInputException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one mapping from what a command throws to exit code, code and message. */
class ErrorHandlerTest {

    @Test
    void exitCodesAreTheDocumentedOnes() {
        assertEquals(0, Main.OK);
        assertEquals(1, Main.USAGE);
        assertEquals(2, Main.REFUSED);
        assertEquals(3, Main.UNREACHABLE);
        assertEquals(4, Main.NOT_DONE);
    }

    @Test
    void failuresKeepTheirExitCodeAndCode() {
        assertEquals(Main.REFUSED, ErrorHandler.failureOf(Failure.http(404, "not_found", "m")).exitCode());
        assertEquals(Main.UNREACHABLE, ErrorHandler.failureOf(Failure.unreachable("no_socket", "m")).exitCode());
        assertEquals(Main.NOT_DONE, ErrorHandler.failureOf(Failure.notDone("wait_timeout", "m")).exitCode());
        assertEquals("no_socket", ErrorHandler.failureOf(Failure.unreachable("no_socket", "m")).code());
    }

    @Test
    void invalidInputIsARefusalWithItsMessage() {
        Failure failure = ErrorHandler.failureOf(new InvalidInputException("--limit", "1–500", 0));

        assertEquals(Main.REFUSED, failure.exitCode());
        assertEquals("invalid_input", failure.code());
        assertEquals("--limit: 1–500, got 0", failure.getMessage());
    }

    @Test
    void protocolApiExceptionKeepsItsWireCode() {
        Failure failure = ErrorHandler.failureOf(new ApiException(ErrorCode.TOO_LARGE, "big"));

        assertEquals(Main.REFUSED, failure.exitCode());
        assertEquals("too_large", failure.code());
    }

    @Test
    void anythingElseIsAnInternalErrorWithExitTwo() {
        Failure failure = ErrorHandler.failureOf(new IllegalStateException("bug"));

        assertEquals(Main.REFUSED, failure.exitCode());
        assertEquals("internal", failure.code());
        assertEquals("internal error: java.lang.IllegalStateException: bug", failure.getMessage());
    }

    @Test
    void flagRenamingReplacesOnlyTheLeadingFieldName() {
        Failure failure = Failure.invalid(new InvalidInputException("payload.image", "x", "payload.image"), "--image");

        assertEquals("--image: x, got 'payload.image'", failure.getMessage());
        assertNull(Failure.refused(null, "m").code());
    }

    @Test
    void errorJsonHasOkFalseAndOnlyTheKnownParts() {
        assertEquals("{\"ok\":false,\"error\":{\"message\":\"m\"}}", Json.compact(ErrorHandler.errorJson("m", null, 0)));
        assertEquals(Map.of("ok", false, "error", Map.of("message", "m", "code", "not_found", "httpStatus", 404)),
                ErrorHandler.errorJson("m", "not_found", 404));
    }
}
