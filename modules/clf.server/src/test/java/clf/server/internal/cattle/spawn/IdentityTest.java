package clf.server.internal.cattle.spawn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clf.server.internal.worker.PermanentFailure;
import com.fasterxml.jackson.jr.ob.JSON;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Identity loading (spec §3.4): each rule, and error texts that never show the host's paths (§9.1.7). */
class IdentityTest {
    static final String CONFIG = "{\"schemaVersion\": 1, \"model\": {\"primary\": \" openai/gpt-4o \", \"fallbacks\": [\"zai/glm\"]},"
            + " \"extra\": true}";

    @TempDir
    Path root;
    Path rex;

    @BeforeEach
    void writeRex() throws Exception {
        rex = Files.createDirectories(root.resolve("rex"));
        Files.writeString(rex.resolve("SOUL.md"), "# Rex\nCareful.");
        Files.writeString(rex.resolve("config.json"), CONFIG);
    }

    String failure() {
        PermanentFailure failure = assertThrows(PermanentFailure.class, () -> Identity.load(root, "rex"));
        assertFalse(failure.getMessage().contains(root.toString()), "no host path: " + failure.getMessage());
        assertFalse(failure.getMessage().contains("/"), "no path at all: " + failure.getMessage());
        return failure.getMessage();
    }

    @Test
    void loadsSoulConfigAndPrimaryModel() throws Exception {
        Identity identity = Identity.load(root, "rex");

        assertEquals("rex", identity.name());
        assertEquals("# Rex\nCareful.", identity.soul());
        assertEquals("openai/gpt-4o", identity.model());
        assertTrue(identity.configJson().endsWith("}\n"));
        assertEquals(JSON.std.mapFrom(CONFIG), JSON.std.mapFrom(identity.configJson()), "the parsed config, extra keys kept");
    }

    @Test
    void missingDirectoryOrFilesAreNamedWithoutPaths() throws Exception {
        assertEquals("identity not found: ghost", assertThrows(PermanentFailure.class,
                () -> Identity.load(root, "ghost")).getMessage());

        Files.delete(rex.resolve("config.json"));
        assertEquals("identity rex has no config.json", failure());
        Files.delete(rex.resolve("SOUL.md"));
        assertEquals("identity rex has no SOUL.md", failure(), "SOUL.md is checked first");
    }

    @Test
    void aFileThatIsNotRegularIsRefused() throws Exception {
        Files.delete(rex.resolve("SOUL.md"));
        Files.createDirectory(rex.resolve("SOUL.md"));
        assertEquals("identity rex: SOUL.md is not a regular file", failure());
    }

    @Test
    void aSymlinkToARegularFileIsFollowedAsTheSpecSays() throws Exception {
        Path elsewhere = Files.writeString(root.resolve("soul-elsewhere.md"), "linked soul");
        Files.delete(rex.resolve("SOUL.md"));
        Files.createSymbolicLink(rex.resolve("SOUL.md"), elsewhere);

        assertEquals("linked soul", Identity.load(root, "rex").soul());
    }

    @Test
    void filesOver16KiBAreRefusedAndExactly16KiBIsRead() throws Exception {
        Files.writeString(rex.resolve("SOUL.md"), "s".repeat(Identity.MAX_FILE_BYTES));
        assertEquals(Identity.MAX_FILE_BYTES, Identity.load(root, "rex").soul().length());

        Files.writeString(rex.resolve("SOUL.md"), "s".repeat(Identity.MAX_FILE_BYTES + 1));
        assertEquals("identity rex: SOUL.md is too large (more than 16384 bytes)", failure());
    }

    @Test
    void invalidJsonIsRefusedIncludingTrailingTextNullAndArrays() throws Exception {
        for (String bad : List.of("{not json", "", "{\"model\": {\"primary\": \"openai/x\"}} trailing", "null", "[1]")) {
            Files.writeString(rex.resolve("config.json"), bad);
            String message = failure();
            assertTrue(message.startsWith("identity rex: config.json is not valid JSON")
                    || message.equals("identity rex: config.json is not one JSON object"), bad + " -> " + message);
        }
    }

    @Test
    void configWithoutModelPrimaryIsRefused() throws Exception {
        for (String config : List.of("{}", "{\"model\": {}}", "{\"model\": {\"primary\": \"  \"}}",
                "{\"model\": {\"primary\": 7}}")) {
            Files.writeString(rex.resolve("config.json"), config);
            assertEquals("identity rex: config.json has no model.primary", failure(), config);
        }
        Files.writeString(rex.resolve("config.json"), "{\"model\": \"openai/gpt-4o\"}");
        assertEquals("identity rex: config.json model must be an object", failure());
    }

    @Test
    void schemaVersionOtherThanOneAndBadFallbacksAreRefused() throws Exception {
        Files.writeString(rex.resolve("config.json"), "{\"schemaVersion\": 2, \"model\": {\"primary\": \"openai/x\"}}");
        assertEquals("identity rex: config.json schemaVersion must be 1", failure());

        Files.writeString(rex.resolve("config.json"), "{\"model\": {\"primary\": \"openai/x\", \"fallbacks\": [\"\"]}}");
        assertEquals("identity rex: config.json model.fallbacks must be a list of names", failure());
    }

    @Test
    void nonUtf8TextIsRefused() throws Exception {
        Files.write(rex.resolve("SOUL.md"), new byte[] {'o', 'k', (byte) 0xC3, (byte) 0x28});
        assertEquals("identity rex: SOUL.md is not UTF-8 text", failure());
    }

    @Test
    void namesThatCouldLeaveTheRootAreRefused() throws Exception {
        Files.createDirectories(root.resolve("outside"));
        Path nested = Files.createDirectories(root.resolve("nested"));
        for (String name : List.of("../outside", "..", "Rex", "", "rex/../rex")) {
            PermanentFailure failure = assertThrows(PermanentFailure.class, () -> Identity.load(nested, name), name);
            assertEquals("invalid identity name (use [a-z][a-z0-9_-]*)", failure.getMessage());
            assertFalse(Identity.exists(nested, name), name);
        }
        assertTrue(Identity.exists(root, "rex"));
        assertFalse(Identity.exists(root, "ghost"));
    }

    @Test
    void theWrittenBackConfigIsOneJsonObject() throws Exception {
        Map<String, Object> parsed = JSON.std.mapFrom(Identity.load(root, "rex").configJson());
        assertEquals(1, parsed.get("schemaVersion"));
    }
}
