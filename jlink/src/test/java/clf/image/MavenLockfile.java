package clf.image;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * nix/maven-deps.json: the files of the Maven repository the Nix build runs offline against,
 * each with its SHA-256, and the remote repository (Maven Central) they are fetched from.
 */
record MavenLockfile(String repository, List<Artifact> artifacts) {
    /** One file, at its path in the Maven repository layout. */
    record Artifact(String path, String sha256) {
    }

    static MavenLockfile read(Path file) throws IOException {
        Map<String, Object> json = JSON.std.mapFrom(Files.readString(file));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> entries = (List<Map<String, Object>>) json.get("artifacts");
        List<Artifact> artifacts = entries.stream()
                .map(entry -> new Artifact((String) entry.get("path"), (String) entry.get("sha256"))).toList();
        return new MavenLockfile((String) json.get("repository"), artifacts);
    }

    /**
     * Lays out every file of the lockfile, and nothing else, under {@code target} (a Maven local
     * repository). Each is taken from {@code cache} (a developer's or CI's ~/.m2/repository) when
     * it holds the same bytes, else downloaded; either way it must match its SHA-256.
     */
    void assemble(Path cache, Path target) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(30)).build();
        for (Artifact artifact : artifacts) {
            Path destination = target.resolve(artifact.path());
            Files.createDirectories(destination.getParent());
            Path cached = cache.resolve(artifact.path());
            if (Files.isRegularFile(cached) && sha256(cached).equals(artifact.sha256())) {
                Files.copy(cached, destination, StandardCopyOption.REPLACE_EXISTING);
                continue;
            }
            URI uri = URI.create(repository + "/" + artifact.path());
            HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(2)).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    throw new AssertionError("GET " + uri + " answered " + response.statusCode());
                }
                Files.copy(body, destination, StandardCopyOption.REPLACE_EXISTING);
            }
            String actual = sha256(destination);
            if (!actual.equals(artifact.sha256())) {
                throw new AssertionError(uri + " has SHA-256 " + actual + ", the lockfile says " + artifact.sha256());
            }
        }
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int read; (read = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, read);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
