package clf.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** JLine and picocli load from the image's modules (run from the class path, which reads them all). */
class LibrariesIT {

    @Test
    void jlineAndPicocliLoadFromTheImage() throws Exception {
        Image.Result result = Image.run("java", "-cp", Probes.classPath(), "clf.image.probe.LibraryProbe");
        assertEquals(0, result.exitCode(), result.toString());
        assertEquals(List.of(
                "jline org.jline.reader read hello",
                "picocli info.picocli class-file 61 greeted world"), result.outLines(), result.toString());
    }
}
