package clf.server.internal.cattle.catalog;

/**
 * What Hetzner's catalog says about one chosen server type, image or location.
 *
 * @param message for the operator or the bot, naming the variable or payload field and, when the
 *                choice is not usable, the choices near it
 */
record CatalogFinding(Verdict verdict, String message) {
    enum Verdict {
        /** Listed and usable. */
        OK,
        /** Usable until a date Hetzner announced: a WARN, not a failure. */
        DEPRECATED,
        /** Deprecated and past its {@code unavailable_after}: Hetzner refuses to create with it. */
        UNAVAILABLE,
        /** Hetzner does not know it (or not in this location). */
        UNKNOWN
    }

    static CatalogFinding ok(String message) {
        return new CatalogFinding(Verdict.OK, message);
    }

    /** Whether a server cannot be created with this choice. */
    boolean unusable() {
        return verdict == Verdict.UNKNOWN || verdict == Verdict.UNAVAILABLE;
    }
}
