package clf.server.internal.config;

import clf.secrets.SecretSource;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;

/**
 * How a cattle VM joins the tailnet (issue 13 §5). With a Tailscale OAuth client
 * ({@value #OAUTH_CLIENT_ID} and {@value #OAUTH_CLIENT_SECRET}, systemd credentials or the
 * environment) the daemon mints one single-use, ephemeral, pre-authorized key per VM, carrying
 * {@link #tags}; without one, every VM gets the static {@code TAILSCALE_AUTH_KEY}, which any
 * process on the VM can read back from Hetzner's metadata service for as long as it is valid.
 * The secrets themselves are not kept here: they are read from {@link SecretSource} when used.
 *
 * @param apiUrl Tailscale's API ({@code CLF_TAILSCALE_API_URL}; tests and dev mode point it at
 *               the simulator)
 * @param tags   the tags of each minted key; the OAuth client must own them
 * @param oauth  whether keys are minted (an OAuth client is configured)
 */
public record TailnetJoin(URI apiUrl, List<String> tags, boolean oauth) {
    public static final String OAUTH_CLIENT_ID = "TAILSCALE_OAUTH_CLIENT_ID";
    public static final String OAUTH_CLIENT_SECRET = "TAILSCALE_OAUTH_CLIENT_SECRET";
    public static final URI DEFAULT_API = URI.create("https://api.tailscale.com");
    public static final String DEFAULT_TAGS = "tag:clf-cattle";
    /** Tailscale's tag syntax: {@code tag:} then a letter, then letters, digits and dashes. */
    private static final Pattern TAG = Pattern.compile("tag:[A-Za-z][A-Za-z0-9-]{0,62}");

    public TailnetJoin {
        tags = List.copyOf(tags);
    }

    static TailnetJoin fromEnv(SecretSource secrets, EnvReader read) {
        URI api = read.parsed("CLF_TAILSCALE_API_URL", DEFAULT_API, raw -> {
            if (!raw.startsWith("https://") && !raw.startsWith("http://")) {
                throw new IllegalArgumentException("an http(s) URL, got '" + raw + "'");
            }
            return URI.create(raw.replaceAll("/+$", ""));
        });
        List<String> tags = read.parsed("CLF_TAILSCALE_TAGS", List.of(DEFAULT_TAGS), TailnetJoin::tags);
        boolean id = secrets.get(OAUTH_CLIENT_ID).isPresent();
        boolean secret = secrets.get(OAUTH_CLIENT_SECRET).isPresent();
        if (id != secret) {
            read.problem("a Tailscale OAuth client needs both " + OAUTH_CLIENT_ID + " and " + OAUTH_CLIENT_SECRET
                    + " (systemd credentials or environment); only " + (id ? OAUTH_CLIENT_ID : OAUTH_CLIENT_SECRET)
                    + " is set");
        }
        return new TailnetJoin(api, tags, id && secret);
    }

    private static List<String> tags(String raw) {
        LinkedHashSet<String> tags = new LinkedHashSet<>();
        List<String> bad = new ArrayList<>();
        for (String tag : raw.split(",")) {
            if (tag.isBlank()) {
                continue;
            }
            (TAG.matcher(tag.strip()).matches() ? tags : bad).add(tag.strip());
        }
        if (!bad.isEmpty() || tags.isEmpty()) {
            throw new IllegalArgumentException("comma-separated Tailscale tags like tag:clf-cattle (tag: then a letter,"
                    + " then letters, digits or dashes), got '" + raw + "'");
        }
        return List.copyOf(tags);
    }
}
