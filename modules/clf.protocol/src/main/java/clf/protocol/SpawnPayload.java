package clf.protocol;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The payload of {@code cattle.spawn}.
 *
 * @param identity        which identity (SOUL.md + config.json) the VM carries
 * @param ttl             {@code ""} for the orchestrator's default, else {@link Ttl} grammar
 * @param image           {@code ""} for the configured cattle image, else an override
 * @param serverType      {@code ""} for the configured server type, else an override
 * @param location        {@code ""} for the configured location, else an override
 * @param autoShutdown    {@code null} for the configured default
 * @param withGithubToken hand the VM {@code GITHUB_TOKEN} too (operators only)
 */
public record SpawnPayload(
        String identity,
        Task task,
        String ttl,
        String image,
        String serverType,
        String location,
        Boolean autoShutdown,
        boolean withGithubToken) {

    private static final Pattern IDENTITY = Pattern.compile("[a-z][a-z0-9_-]{0,62}");
    private static final Pattern OVERRIDE = Pattern.compile("[A-Za-z0-9._:/-]{0,128}");
    private static final Set<String> FIELDS = Set.of("identity", "task", "ttl", "image", "serverType", "location",
            "autoShutdown", "withGithubToken");

    public SpawnPayload {
        requireIdentity("payload.identity", identity);
        if (!ttl.isEmpty()) {
            Ttl.parse("payload.ttl", ttl);
        }
        requireOverride("payload.image", image);
        requireOverride("payload.serverType", serverType);
        requireOverride("payload.location", location);
    }

    public static SpawnPayload fromJson(Object json) {
        JsonFields fields = JsonFields.of(json, "payload");
        fields.allowOnly(FIELDS);
        return new SpawnPayload(
                fields.requiredString("identity").strip(),
                Task.fromJson(fields.value("task"), "payload.task"),
                fields.string("ttl", "").strip(),
                fields.string("image", "").strip(),
                fields.string("serverType", "").strip(),
                fields.string("location", "").strip(),
                fields.bool("autoShutdown", null),
                fields.bool("withGithubToken", false));
    }

    /** An identity name: a lower-case letter, then up to 62 of [a-z0-9_-]. */
    public static String requireIdentity(String field, String identity) {
        if (identity == null || !IDENTITY.matcher(identity).matches()) {
            throw new InvalidInputException(field, "a name of [a-z0-9_-] starting with a letter, up to 63 chars",
                    identity == null ? "" : identity);
        }
        return identity;
    }

    private static void requireOverride(String field, String value) {
        if (value == null || !OVERRIDE.matcher(value).matches()) {
            throw new InvalidInputException(field, "\"\" or up to 128 chars of [A-Za-z0-9._:/-]", value);
        }
    }

    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("identity", identity);
        json.put("task", task.toJson());
        json.put("ttl", ttl);
        json.put("image", image);
        json.put("serverType", serverType);
        json.put("location", location);
        if (autoShutdown != null) {
            json.put("autoShutdown", autoShutdown);
        }
        if (withGithubToken) {
            json.put("withGithubToken", true);
        }
        return json;
    }
}
