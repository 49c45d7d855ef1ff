package clf.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.testing.HostTool;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Nix build's lockfile (nix/maven-deps.json) is complete and current. The derivation runs
 * Maven offline against exactly the lockfile's files (nix/maven-repository.nix); these tests
 * do the same outside Nix, and regenerate the lockfile to catch drift from the POMs.
 */
class MavenLockfileIT {
    private static final Path NIX = NixFilesIT.REPO.resolve("nix");
    private static final Path LOCKFILE = NIX.resolve("maven-deps.json");
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(20);

    private static Path scratch;
    /** A Maven repository holding the lockfile's files and nothing else, each hash-checked. */
    private static Path lockedRepository;

    @BeforeAll
    static void assembleLockedRepository() throws Exception {
        HostTool.require(HostTool.onPath("mvn"), "mvn (Maven)");
        scratch = Files.createTempDirectory("clf-lockfile-");
        lockedRepository = scratch.resolve("locked-repository");
        MavenLockfile.read(LOCKFILE).assemble(Path.of(System.getProperty("user.home"), ".m2", "repository"),
                lockedRepository);
    }

    @AfterAll
    static void deleteScratch() throws IOException {
        Trees.delete(scratch);
    }

    /** What the derivation's buildPhase does: `mvn -o` with the lockfile's files as the local repository. */
    @Test
    void theLockfileAloneBuildsTheImageOffline() throws Exception {
        Path source = scratch.resolve("source");
        copySource(NixFilesIT.REPO, source);
        Path localRepository = scratch.resolve("offline-repository");
        copyTree(lockedRepository, localRepository);
        Path settings = Files.writeString(scratch.resolve("empty-settings.xml"), "<settings/>\n");

        List<String> command = new ArrayList<>(List.of("mvn", "-B", "-o", "-nsu", "-f", source.resolve("pom.xml").toString(),
                "-s", settings.toString(), "-Dmaven.repo.local=" + localRepository));
        command.addAll(goals());
        HostTool.Result build = HostTool.run(Map.of(), BUILD_TIMEOUT, command);
        assertEquals(0, build.exitCode(), "the offline build from the lockfile alone failed:\n" + tail(build.out(), 80) + build.err());
        assertTrue(Files.isExecutable(source.resolve("jlink/target/clf/bin/clf")), "the offline build made no image");
    }

    /**
     * update-maven-deps.sh, run with the locked files as the only remote repository, writes the
     * lockfile as committed: a dependency or plugin added to a POM is missing there (the build
     * fails), one removed or no longer needed leaves a line the regenerated file lacks.
     */
    @Test
    void theLockfileIsWhatThePomsResolve() throws Exception {
        Path settings = Files.writeString(scratch.resolve("mirror-settings.xml"), """
                <settings>
                  <mirrors>
                    <mirror><id>lockfile</id><mirrorOf>*</mirrorOf><url>%s</url></mirror>
                  </mirrors>
                </settings>
                """.formatted(lockedRepository.toUri()));
        Path regenerated = scratch.resolve("maven-deps.json");
        HostTool.Result update = HostTool.run(Map.of("MAVEN_SETTINGS", settings.toString()), BUILD_TIMEOUT,
                List.of("bash", NIX.resolve("update-maven-deps.sh").toString(), regenerated.toString()));
        assertEquals(0, update.exitCode(), "regenerating the lockfile from the locked files failed (a POM needs"
                + " something the lockfile lacks? run nix/update-maven-deps.sh):\n" + update);

        Set<String> committed = paths(MavenLockfile.read(LOCKFILE));
        Set<String> current = paths(MavenLockfile.read(regenerated));
        Set<String> stale = new TreeSet<>(committed);
        stale.removeAll(current);
        assertTrue(stale.isEmpty(), "the lockfile holds files the build no longer resolves (run nix/update-maven-deps.sh): " + stale);
        assertEquals(Files.readString(LOCKFILE), Files.readString(regenerated),
                "nix/maven-deps.json is not what nix/update-maven-deps.sh writes; run it");
    }

    /** The derivation's Maven goals and flags, shared with update-maven-deps.sh. */
    private static List<String> goals() throws IOException {
        return List.of(Files.readString(NIX.resolve("maven-goals")).trim().split("\\s+"));
    }

    private static Set<String> paths(MavenLockfile lockfile) {
        return lockfile.artifacts().stream().map(MavenLockfile.Artifact::path).collect(Collectors.toCollection(TreeSet::new));
    }

    /** The tree as the derivation's source filter passes it: no target/, no .clf-dev; no .git either. */
    private static void copySource(Path from, Path to) throws IOException {
        Set<String> skipped = Set.of("target", ".clf-dev", ".git");
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
                if (skipped.contains(dir.getFileName().toString())) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                if (!skipped.contains(file.getFileName().toString())) {
                    Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path path : (Iterable<Path>) walk::iterator) {
                copyOne(path, to.resolve(from.relativize(path).toString()));
            }
        }
    }

    private static void copyOne(Path from, Path to) throws IOException {
        if (Files.isDirectory(from)) {
            Files.createDirectories(to);
        } else {
            Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES);
        }
    }

    private static String tail(String text, int lines) {
        List<String> all = text.lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size())) + "\n";
    }
}
