package clf.queue.internal;

import clf.protocol.InvalidInputException;

/**
 * The keyset cursor of a job listing: the insertion sequence of the last job shown. Opaque to
 * callers; a decimal string so it survives URLs and JSON untouched.
 */
public final class PageCursor {
    private PageCursor() {
    }

    public static String encode(long seq) {
        return Long.toString(seq);
    }

    public static long decode(String cursor) {
        try {
            long seq = Long.parseLong(cursor);
            if (seq > 0) {
                return seq;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidInputException("cursor", "the nextCursor of a previous page", cursor);
    }
}
