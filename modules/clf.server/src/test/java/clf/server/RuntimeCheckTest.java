package clf.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runtime check on the class path; the image tests run it in the linked image. */
class RuntimeCheckTest {

    @Test
    void everyCheckPassesAndScratchFilesAreRemoved(@TempDir Path dir) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), "--check-runtime", dir.toString());
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(Main.OK, code, text + err.toString(StandardCharsets.UTF_8));
        List<String> lines = text.lines().toList();
        assertEquals(4, lines.size(), text);
        assertEquals(List.of("ok sqlite", "ok unix-socket", "ok undertow", "ok json"),
                lines.stream().map(line -> line.split(" ", 3)).map(p -> p[0] + " " + p[1]).toList());
        assertFalse(Files.exists(dir.resolve("check")), "check dir should be removed");
    }
}
