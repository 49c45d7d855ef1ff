package clf.hetzner;

/**
 * What a call is for, when the rate limit runs low. Under the reserve set with
 * {@link HetznerClient#reserveForEssential}, only {@link #ESSENTIAL} calls go out; {@link #ORDINARY}
 * ones wait until the budget has refilled above it. The reserve keeps the owner's own clean-up
 * (deleting expired servers) possible whatever its users ask for.
 */
public enum CallClass {
    /** The owner's own clean-up: reaps and deletes that stop servers from costing money. */
    ESSENTIAL,
    /** Everything else: spawns, users' reaps, catalog reads. */
    ORDINARY
}
