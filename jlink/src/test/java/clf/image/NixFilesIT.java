package clf.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.testing.HostTool;
import com.fasterxml.jackson.jr.ob.JSON;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every .nix file of the repository parses (Debian's nix-bin; .ci/run installs it), the
 * derivation evaluates with the lockfile as its Maven repository, and the orchestrator module
 * evaluates with nix/tests/stand-in-lib.nix's module system. Evaluating them with nixpkgs itself
 * needs nixpkgs, which this machine cannot fetch (CattleNixModuleIT does the same for the cattle
 * module).
 */
class NixFilesIT {
    static final Path REPO = Image.HOME.getParent().getParent().getParent();

    @BeforeEach
    void nixInstalled() {
        HostTool.require(HostTool.onPath("nix-instantiate"), "nix-instantiate (Debian package nix-bin)");
    }

    @Test
    void everyNixFileParses() throws Exception {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(REPO.resolve("nix"))) {
            files = walk.filter(path -> path.toString().endsWith(".nix")).sorted().toList();
        }
        assertFalse(files.isEmpty(), "no .nix files under " + REPO.resolve("nix"));
        for (Path file : files) {
            HostTool.Result parse = HostTool.run(Map.of(), Duration.ofSeconds(30),
                    List.of("nix-instantiate", "--parse", file.toString()));
            assertEquals(0, parse.exitCode(), file + " does not parse:\n" + parse.err());
        }
    }

    /**
     * nix/tests/eval-package.nix evaluates package.nix with stand-ins for nixpkgs' functions: each
     * lockfile entry must come out as a fetch of Maven Central at its path with its SHA-256, and
     * the build must run Maven offline on that repository with the lockfile's goals.
     */
    @Test
    @SuppressWarnings("unchecked")
    void theDerivationFetchesTheLockfileAndBuildsOffline() throws Exception {
        HostTool.Result eval = HostTool.run(Map.of(), Duration.ofSeconds(60), List.of("nix-instantiate", "--eval", "--strict",
                "--json", REPO.resolve("nix/tests/eval-package.nix").toString()));
        assertEquals(0, eval.exitCode(), "nix/tests/eval-package.nix does not evaluate:\n" + eval);
        Map<String, Object> derivation = JSON.std.mapFrom(eval.out());

        MavenLockfile lockfile = MavenLockfile.read(REPO.resolve("nix/maven-deps.json"));
        List<Map<String, Object>> entries = (List<Map<String, Object>>) ((Map<String, Object>) derivation.get("repository")).get("entries");
        assertEquals(lockfile.artifacts().size(), entries.size(), "one repository entry per lockfile entry");
        for (int i = 0; i < entries.size(); i++) {
            MavenLockfile.Artifact artifact = lockfile.artifacts().get(i);
            Map<String, Object> fetch = (Map<String, Object>) entries.get(i).get("path");
            assertEquals(artifact.path(), entries.get(i).get("name"), "repository path of entry " + i);
            assertEquals(lockfile.repository() + "/" + artifact.path(), fetch.get("url"), artifact.path());
            assertEquals(artifact.sha256(), fetch.get("sha256"), artifact.path());
        }
        assertTrue(lockfile.repository().startsWith("https://"), "fetched over HTTPS: " + lockfile.repository());

        assertEquals(true, derivation.get("sourceFilterChecked"), "the source filter keeps sources and drops target/");
        String buildPhase = (String) derivation.get("buildPhase");
        String goals = Files.readString(REPO.resolve("nix/maven-goals")).trim();
        assertTrue(buildPhase.contains("cp -rL " + derivation.get("repositoryPath") + " "), "copies the locked repository:\n" + buildPhase);
        String maven = buildPhase.lines().filter(line -> line.startsWith("mvn ")).findFirst().orElse("(none)");
        assertTrue(List.of(maven.split(" ")).contains("-o") && maven.endsWith(" " + goals),
                "runs Maven offline with the goals of nix/maven-goals:\n" + buildPhase);
    }

    /** The orchestrator module hands the Tailscale OAuth client over as credentials, never as environment. */
    @Test
    void theOrchestratorModuleLoadsTheTailscaleOAuthClientAsCredentials() throws Exception {
        String common = "cattle.image = \"clf-cattle\"; hcloudTokenFile = \"/run/secrets/hcloud\";"
                + " adminAuthorizedKeys = [ \"ssh-ed25519 AAAA admin\" ];";
        String unit = serviceUnit("{ " + common + " tailscaleOAuth = { clientIdFile = \"/run/secrets/ts_id\";"
                + " clientSecretFile = \"/run/secrets/ts_secret\"; tags = [ \"tag:clf-cattle\" \"tag:ci\" ]; }; }");
        List<String> credentials = unit.lines().filter(line -> line.startsWith("LoadCredential=")).toList();
        assertEquals(List.of("LoadCredential=HCLOUD_TOKEN:/run/secrets/hcloud",
                "LoadCredential=TAILSCALE_OAUTH_CLIENT_ID:/run/secrets/ts_id",
                "LoadCredential=TAILSCALE_OAUTH_CLIENT_SECRET:/run/secrets/ts_secret"), credentials);
        assertTrue(unit.contains("Environment=\"CLF_TAILSCALE_TAGS=tag:clf-cattle,tag:ci\""), unit);
        assertFalse(unit.contains("Environment=\"TAILSCALE_"), "no secret in the environment:\n" + unit);

        assertEquals(List.of("services.clfOrchestrator.tailscaleOAuth needs both clientIdFile and clientSecretFile."),
                failedAssertions("{ " + common + " tailscaleOAuth.clientSecretFile = \"/run/secrets/ts_secret\"; }"));
        assertEquals(List.of("services.clfOrchestrator.tailscaleOAuth (recommended: a key minted per VM) or"
                + " tailscaleAuthKeyFile must be set for VMs to join the tailnet."), failedAssertions("{ " + common + " }"));
    }

    /** A shared PostgreSQL store: the URL in the environment, its password only as a credential. */
    @Test
    void theOrchestratorModuleSharesAPostgresStoreWithThePasswordAsACredential() throws Exception {
        String common = "cattle.image = \"clf-cattle\"; hcloudTokenFile = \"/run/secrets/hcloud\";"
                + " tailscaleAuthKeyFile = \"/run/secrets/ts\"; adminAuthorizedKeys = [ \"ssh-ed25519 AAAA admin\" ];";
        String unit = serviceUnit("{ " + common + " database = { url = \"postgresql://clf@db.example.ts.net/clf\";"
                + " passwordFile = \"/run/secrets/db\"; connections = 12; }; }");
        assertTrue(unit.contains("Environment=\"CLF_DATABASE_URL=postgresql://clf@db.example.ts.net/clf\""), unit);
        assertTrue(unit.contains("Environment=\"CLF_DATABASE_CONNECTIONS=12\""), unit);
        assertTrue(unit.lines().anyMatch("LoadCredential=CLF_DATABASE_PASSWORD:/run/secrets/db"::equals), unit);
        assertTrue(unit.lines().anyMatch("After=postgresql.service"::equals), unit);
        assertFalse(unit.contains("CLF_DATABASE_PASSWORD="), "the password is no environment variable:\n" + unit);

        String sqlite = serviceUnit("{ " + common + " }");
        assertFalse(sqlite.contains("CLF_DATABASE_URL"), "without database.url the store stays SQLite:\n" + sqlite);

        assertEquals(List.of("services.clfOrchestrator.database.passwordFile needs database.url (the SQLite store has no password)."),
                failedAssertions("{ " + common + " database.passwordFile = \"/run/secrets/db\"; }"));
        assertEquals(List.of("services.clfOrchestrator.database.url must start with postgresql://."),
                failedAssertions("{ " + common + " database.url = \"mysql://db/clf\"; }"));
    }

    /** clf-orchestrator.service as NixOS renders it from {@code settings}, which must evaluate with no failed assertion. */
    @SuppressWarnings("unchecked")
    static String serviceUnit(String settings) throws Exception {
        HostTool.Result eval = orchestrator(settings);
        assertEquals(0, eval.exitCode(), eval.toString());
        Map<String, Object> module = JSON.std.mapFrom(eval.out());
        assertEquals(List.of(), module.get("failedAssertions"));
        return (String) ((Map<String, Object>) module.get("units")).get("clf-orchestrator.service");
    }

    /** The module's failed assertions for {@code settings}. */
    static Object failedAssertions(String settings) throws Exception {
        return JSON.std.mapFrom(orchestrator(settings).out()).get("failedAssertions");
    }

    static HostTool.Result orchestrator(String settings) {
        return HostTool.run(Map.of(), Duration.ofSeconds(60), List.of("nix-instantiate", "--eval", "--strict", "--json",
                REPO.resolve("nix/tests/eval-module.nix").toString(),
                "--arg", "lib", "import " + REPO.resolve("nix/tests/stand-in-lib.nix"), "--arg", "settings", settings));
    }
}
