package clf.hetzner.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ErrorTextTest {
    @Test
    void readsHetznersErrorObject() {
        ErrorText.ApiError error = ErrorText.parse(
                "{\"error\":{\"code\":\"uniqueness_error\",\"message\":\"server name is already used\",\"details\":{}}}", List.of());
        assertEquals(new ErrorText.ApiError("uniqueness_error", "server name is already used"), error);
    }

    @Test
    void keepsAShortFlatExcerptOfAnythingElse() {
        ErrorText.ApiError error = ErrorText.parse("<html>\n<body>Bad   Gateway</body>\n" + "y".repeat(1000), List.of());
        assertEquals("", error.code());
        assertTrue(error.message().startsWith("<html> <body>Bad Gateway</body> yyy"), error.message());
        assertEquals(300 + "…(truncated)".length(), error.message().length());
    }

    @Test
    void replacesSecretsButNotTinyStrings() {
        assertEquals("token <redacted> and abc", ErrorText.safe("token s3cr3t-value and abc", List.of("s3cr3t-value", "abc"), 300));
    }
}
