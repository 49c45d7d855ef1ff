package clf.testing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** A UTF-8 {@link PrintStream} that keeps what was written, for tests of a program's output. */
public final class CapturedText {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    public PrintStream stream() {
        return stream;
    }

    /** Everything written so far. */
    public String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
