package clf.secrets;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a bootstrap token buys: the environment of one cattle VM.
 *
 * @param jobId        the spawn job that made the token (its history records the redemption)
 * @param requester    who asked for the VM
 * @param cattleName   the server the token is for (its name and tailnet host name)
 * @param secretGroups each group is the aliases of one secret (e.g. OPENAI_API_KEY, OPEN_AI_APIKEY):
 *                     the first alias the control plane has fills them all. Only what a spawn may
 *                     ask for: at most one provider's key and {@code GITHUB_TOKEN}
 *                     ({@link ProviderEnv#isGrantable}); checked again when a stored row is read
 * @param publicEnv    non-secret settings ({@code CLAWDLETS_*}) handed over with the secrets
 */
public record TokenGrant(String jobId, String requester, String cattleName, List<List<String>> secretGroups,
        Map<String, String> publicEnv) {

    static final Pattern ENV_NAME = Pattern.compile("[A-Z_][A-Z0-9_]*");

    public TokenGrant {
        requireText("jobId", jobId);
        requireText("requester", requester);
        requireText("cattleName", cattleName);
        secretGroups = secretGroups.stream().map(List::copyOf).toList();
        for (List<String> group : secretGroups) {
            if (group.isEmpty()) {
                throw new IllegalArgumentException("secretGroups: every group names at least one variable");
            }
            group.forEach(name -> requireEnvName("secretGroups", name));
            if (!ProviderEnv.isGrantable(group)) {
                throw new IllegalArgumentException("secretGroups: " + group
                        + " is not grantable (only one provider's key aliases, or [GITHUB_TOKEN])");
            }
        }
        long providers = secretGroups.stream().filter(group -> !group.equals(List.of(ProviderEnv.GITHUB_TOKEN))).count();
        if (providers > 1 || secretGroups.size() - providers > 1 || secretGroups.stream().distinct().count() < secretGroups.size()) {
            throw new IllegalArgumentException("secretGroups: at most one provider's key and GITHUB_TOKEN, got " + secretGroups);
        }
        publicEnv = new LinkedHashMap<>(publicEnv);
        for (String name : publicEnv.keySet()) {
            requireEnvName("publicEnv", name);
            if (!name.startsWith("CLAWDLETS_")) {
                throw new IllegalArgumentException("publicEnv: " + name
                        + " is not allowed (public env must use CLAWDLETS_*; secrets are fetched, never passed)");
            }
        }
        publicEnv = java.util.Collections.unmodifiableMap(publicEnv);
    }

    private static void requireText(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + ": must not be empty");
        }
    }

    private static void requireEnvName(String field, String name) {
        if (name == null || !ENV_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(field + ": not a variable name (expected [A-Z_][A-Z0-9_]*): " + name);
        }
    }
}
