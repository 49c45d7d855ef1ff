package clf.cli;

import java.io.PrintWriter;
import java.util.List;

/**
 * Where a command's results go. With {@code --json} stdout carries exactly one JSON document
 * and notes are left out; without it, text for people on stdout and notes on stderr. Every line
 * for people goes through {@link ShownText}, since most of it quotes what some bot wrote.
 */
final class Output {
    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean json;

    Output(PrintWriter out, PrintWriter err, boolean json) {
        this.out = out;
        this.err = err;
        this.json = json;
    }

    boolean json() {
        return json;
    }

    /** The value pretty-printed (2-space indent) on stdout. */
    void printJson(Object value) {
        out.println(Json.pretty(value));
    }

    void lines(List<String> lines) {
        lines.forEach(this::line);
    }

    void line(String line) {
        out.println(ShownText.cleanLines(line));
    }

    /** A hint for people on stderr; not printed in JSON mode. */
    void note(String note) {
        if (!json) {
            err.println(ShownText.cleanLines(note));
        }
    }
}
