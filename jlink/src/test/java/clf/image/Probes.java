package clf.image;

import java.nio.file.Path;

/** Where the probe classes (clf.image.probe) are, for the image's own java to run them. */
final class Probes {

    private Probes() {}

    static String classPath() throws Exception {
        return Path.of(Probes.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}
