package clf.secrets;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The environment variables an agent needs for its model's provider. Some providers are known
 * under several names (OPENAI_API_KEY and OPEN_AI_APIKEY); the operator sets any one of them and
 * the VM gets every alias filled with that value.
 */
public final class ProviderEnv {
    private static final Map<String, List<String>> ALIASES = Map.of(
            "anthropic", List.of("ANTHROPIC_API_KEY"),
            "openai", List.of("OPENAI_API_KEY", "OPEN_AI_APIKEY"),
            "zai", List.of("ZAI_API_KEY", "Z_AI_API_KEY"));

    private ProviderEnv() {
    }

    /** The provider of {@code model} ({@code openai/gpt-4o} → {@code openai}); unknown → error. */
    public static String providerOf(String model) {
        int slash = model == null ? -1 : model.indexOf('/');
        String provider = slash <= 0 ? "" : model.substring(0, slash).strip().toLowerCase(Locale.ROOT);
        if (!ALIASES.containsKey(provider)) {
            throw new IllegalArgumentException("unknown model provider in '" + model + "' (expected one of "
                    + String.join(", ", ALIASES.keySet().stream().sorted().toList()) + ", as provider/model)");
        }
        return provider;
    }

    /** Every variable name the VM gets for {@code provider}. */
    public static List<String> aliases(String provider) {
        List<String> names = ALIASES.get(provider);
        if (names == null) {
            throw new IllegalArgumentException("unknown model provider: " + provider);
        }
        return names;
    }

    /** The variable an operator may hand a VM besides its provider's key (spawn {@code withGithubToken}). */
    public static final String GITHUB_TOKEN = "GITHUB_TOKEN";

    /**
     * Whether a spawn may ask for {@code group}: exactly one provider's aliases, or
     * {@code [GITHUB_TOKEN]}. Nothing else (HCLOUD_TOKEN, the Tailscale key, …) is ever handed out,
     * whatever a stored token row says.
     */
    public static boolean isGrantable(List<String> group) {
        return ALIASES.containsValue(group) || group.equals(List.of(GITHUB_TOKEN));
    }

    /** Whether {@code name} is one of the aliases of some provider. */
    public static boolean isProviderVariable(String name) {
        return ALIASES.values().stream().anyMatch(names -> names.contains(name));
    }
}
