package clf.secrets;

/**
 * A secret value that cannot leak by accident: {@link #toString()} is redacted, so a secret
 * put in a log line, an exception or a job result shows {@code [redacted]}. Use {@link #reveal()}
 * only where the value must leave the process (an HTTP header, a VM's env answer).
 */
public final class Secret {
    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    public static Secret of(String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("a secret must not be empty");
        }
        return new Secret(value);
    }

    public String reveal() {
        return value;
    }

    @Override
    public String toString() {
        return "[redacted]";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Secret secret && java.security.MessageDigest.isEqual(
                value.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                secret.value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public int hashCode() {
        return 0; // secrets are not hash keys; a constant keeps equals consistent without exposing bits
    }
}
