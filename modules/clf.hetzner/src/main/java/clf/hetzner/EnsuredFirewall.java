package clf.hetzner;

/** The result of {@link HetznerClient#ensureFirewall}: the firewall's id and what was done. */
public record EnsuredFirewall(long id, Outcome outcome) {
    public enum Outcome {
        /** No firewall had the name; one was created with the rules and labels. */
        CREATED,
        /** The firewall existed with other rules; {@code set_rules} replaced them. */
        RULES_SET,
        /** The firewall existed with the same rules (ignoring order); nothing was changed. */
        UNCHANGED,
        /** A recent ensure succeeded and no error has happened since; no request was sent. */
        CACHED
    }
}
