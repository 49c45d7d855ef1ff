package clf.server.internal.unix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.testing.HostTool;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/** The socket the daemon binds itself (issue 11 §5). */
class BotSocketTest {
    @TempDir
    Path dir;

    @Test
    void theSocketAppearsAt0660AndIsNeverChangedInPlace() throws Exception {
        Path run = Files.createDirectory(dir.resolve("run"));
        Path path = run.resolve("bot.sock");
        List<String> seen = new ArrayList<>();
        try (WatchService watcher = run.getFileSystem().newWatchService()) {
            // On Linux ENTRY_MODIFY includes IN_ATTRIB: a chmod of the socket after bind(2) shows here.
            run.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
            try (BotSocket.Opened opened = BotSocket.open(path, null, Map.of())) {
                assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(path,
                        LinkOption.NOFOLLOW_LINKS)));
                var accepted = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    try (var peer = opened.socket().accept()) {
                        return peer.isConnected();
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                try (AFUNIXSocket client = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(path))) {
                    assertTrue(accepted.get(5, TimeUnit.SECONDS), "the linked socket is served at its path");
                }
                for (WatchKey key = watcher.poll(1, TimeUnit.SECONDS); key != null;
                        key = watcher.poll(300, TimeUnit.MILLISECONDS)) {
                    for (WatchEvent<?> event : key.pollEvents()) {
                        if (path.getFileName().equals(event.context())) {
                            seen.add(event.kind().name());
                        }
                    }
                    key.reset();
                }
            }
        }
        assertEquals(List.of("ENTRY_CREATE"), seen,
                "the socket's mode was never wider at its path: it arrived with it (no chmod in place)");
        assertFalse(Files.exists(path, LinkOption.NOFOLLOW_LINKS), "closing removes the socket");
        try (var left = Files.list(run)) {
            assertEquals(List.of(), left.toList(), "no staging directory is left behind");
        }
    }

    @Test
    void aSocketDirectoryUnderAnotherUsersDirectoryIsRefusedBeforeItIsMade() throws Exception {
        HostTool.requireRoot("to give a directory to another user");
        Path shared = Files.createDirectory(dir.resolve("shared"));
        Files.setAttribute(shared, "unix:uid", 4299, LinkOption.NOFOLLOW_LINKS);

        SocketSafety.UnsafeSocketException refused = assertThrows(SocketSafety.UnsafeSocketException.class,
                () -> BotSocket.open(shared.resolve("clf/bot.sock"), null, Map.of()));

        assertTrue(refused.getMessage().startsWith("directory above the socket directory " + shared.resolve("clf")
                + " is owned by uid 4299"), refused.getMessage());
        assertFalse(Files.exists(shared.resolve("clf")));
    }

    @Test
    void aSymlinkedSocketDirectoryIsRefused() throws Exception {
        Path real = Files.createDirectory(dir.resolve("real"));
        Path link = Files.createSymbolicLink(dir.resolve("run"), real);

        SocketSafety.UnsafeSocketException refused = assertThrows(SocketSafety.UnsafeSocketException.class,
                () -> BotSocket.open(link.resolve("bot.sock"), null, Map.of()));

        assertEquals("socket directory is a symbolic link (refusing): " + link, refused.getMessage());
        try (var files = Files.list(real)) {
            assertEquals(List.of(), files.toList());
        }
    }
}
