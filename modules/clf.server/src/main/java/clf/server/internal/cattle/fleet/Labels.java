package clf.server.internal.cattle.fleet;

import java.util.Locale;
import java.util.regex.Pattern;

/** Hetzner label values and server names made from free text (spec §3.6). */
public final class Labels {
    public static final String MANAGED_BY = "managed-by";
    public static final String MANAGED_BY_VALUE = "clf";
    public static final String CATTLE = "cattle";
    public static final String JOB_ID = "clf-job-id";
    public static final String REQUESTER = "requester";
    public static final String IDENTITY = "identity";
    public static final String TASK_ID = "task-id";
    public static final String CREATED_AT = "created-at";
    public static final String EXPIRES_AT = "expires-at";
    /** Selects every server clf manages. */
    static final String MANAGED_SELECTOR = MANAGED_BY + "=" + MANAGED_BY_VALUE + "," + CATTLE + "=true";
    private static final Pattern VALID_VALUE = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");

    private Labels() {
    }

    /**
     * A label value from free text: letters and digits kept (lower-cased), {@code - _ . space}
     * become {@code -}, the rest dropped, runs of {@code -} collapsed, at most 63 chars, starting
     * and ending with a letter or digit; {@code fallback} when nothing is left.
     */
    public static String slug(String text, String fallback) {
        StringBuilder out = new StringBuilder();
        for (char c : text.strip().toLowerCase(Locale.ROOT).toCharArray()) {
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                out.append(c);
            } else if ((c == '-' || c == '_' || c == '.' || c == ' ') && out.length() > 0
                    && out.charAt(out.length() - 1) != '-') {
                out.append('-');
            }
        }
        String slug = out.length() > 63 ? out.substring(0, 63) : out.toString();
        slug = slug.replaceAll("^-+|-+$", "");
        return slug.isEmpty() ? fallback : slug;
    }

    /**
     * {@code text} itself when it is already a valid non-empty label value (so distinct texts keep
     * distinct labels, e.g. requesters {@code a_b} and {@code a-b}), else its {@link #slug}.
     */
    public static String value(String text, String fallback) {
        String stripped = text.strip();
        return VALID_VALUE.matcher(stripped).matches() ? stripped : slug(stripped, fallback);
    }

    /** {@code cattle-<identity>-<8 hex of the job id>}: unique per job, stable across its retries. */
    public static String serverName(String identity, String jobId) {
        String suffix = jobId.replace("-", "");
        suffix = suffix.substring(0, Math.min(8, suffix.length()));
        String middle = slug(identity, "id");
        int room = 63 - "cattle-".length() - 1 - suffix.length();
        if (middle.length() > room) {
            middle = middle.substring(0, room).replaceAll("-+$", "");
        }
        return "cattle-" + middle + "-" + suffix;
    }
}
