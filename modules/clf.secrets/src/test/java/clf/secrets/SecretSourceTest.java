package clf.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretSourceTest {
    @TempDir
    Path credentials;

    @Test
    void aSystemdCredentialWinsOverTheEnvironment() throws Exception {
        Files.writeString(credentials.resolve("ZAI_API_KEY"), "from-file\n");
        SecretSource source = SecretSource.fromEnvironment(Map.of("CREDENTIALS_DIRECTORY", credentials.toString(),
                "ZAI_API_KEY", "from-env", "GITHUB_TOKEN", "gh"));

        assertEquals("from-file", source.get("ZAI_API_KEY").orElseThrow().reveal());
        assertEquals("gh", source.get("GITHUB_TOKEN").orElseThrow().reveal());
        assertTrue(source.get("ANTHROPIC_API_KEY").isEmpty());
    }

    @Test
    void blankValuesCountAsMissing() {
        assertTrue(new SecretSource(null, Map.of("X_KEY", "  ")).get("X_KEY").isEmpty());
        assertThrows(IllegalArgumentException.class, () -> new SecretSource(null, Map.of()).get("../etc/passwd"));
    }

    @Test
    void secretsNeverPrintTheirValue() {
        Secret secret = Secret.of("sk-very-secret");
        assertEquals("[redacted]", secret.toString());
        assertEquals("[[redacted]]", List.of(secret).toString());
        assertEquals("{k=[redacted]}", Map.of("k", secret).toString());
    }

    @Test
    void providerAliases() {
        assertEquals("openai", ProviderEnv.providerOf("openai/gpt-4o"));
        assertEquals(List.of("ZAI_API_KEY", "Z_AI_API_KEY"), ProviderEnv.aliases(ProviderEnv.providerOf("ZAI/glm-4.6")));
        assertThrows(IllegalArgumentException.class, () -> ProviderEnv.providerOf("gpt-4o"));
        assertThrows(IllegalArgumentException.class, () -> ProviderEnv.providerOf("mystery/model"));
    }
}
