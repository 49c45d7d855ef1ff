package clf.hetzner;

/** What {@link HetznerClient#deleteServer} achieved; neither is an error. */
public enum DeleteOutcome {
    /** Hetzner accepted the delete; the server is {@code deleting} and then gone. */
    DELETED,
    /** Hetzner answered 404: someone (possibly an earlier attempt) deleted it already. */
    ALREADY_GONE
}
