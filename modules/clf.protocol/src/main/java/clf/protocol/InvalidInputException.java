package clf.protocol;

/**
 * A caller passed a value that clf does not accept: on the wire, on the command line or in the
 * job store, which all refuse with this one exception. The message names the field, what was
 * expected and what arrived, e.g. {@code requester: 1–64 chars of [a-z0-9._-], got ''}.
 */
public final class InvalidInputException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private static final int SHOWN_VALUE_CHARS = 80;

    private final String field;

    public InvalidInputException(String field, String expected, Object got) {
        super(field + ": " + expected + ", got " + show(got));
        this.field = field;
    }

    /** The name of the offending field, as callers spell it (e.g. {@code requester}). */
    public String field() {
        return field;
    }

    private static String show(Object got) {
        if (got == null) {
            return "nothing";
        }
        String text = got.toString();
        if (text.length() > SHOWN_VALUE_CHARS) {
            text = text.substring(0, SHOWN_VALUE_CHARS) + "…";
        }
        return got instanceof String ? "'" + text + "'" : text;
    }
}
