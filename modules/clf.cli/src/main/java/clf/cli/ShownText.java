package clf.cli;

/**
 * The one filter between text a bot wrote (payload fields, task messages, errors, event messages,
 * requester names) and a person's terminal. Every human renderer goes through it; {@code --json}
 * output never does, so scripts see the daemon's answer unchanged.
 *
 * <p>Controls (C0, DEL, C1, including ESC, which starts colour, title and OSC 8 link sequences, and
 * the line and paragraph separators) become spaces, so a row stays one row and cannot drive the
 * terminal. Invisible format characters (Unicode category Cf) become {@code U+FFFD}: that covers the
 * bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), the marks U+200E/U+200F and
 * U+061C, zero-width spaces and joiners (U+200B–U+200D, U+2060, U+FEFF) and the tag characters
 * (U+E0000 block). They are shown, not dropped, because the point is that a person sees that
 * something invisible was there: "invoice\u202Etxt.exe" must not read as "invoiceexe.txt", and
 * stripping it silently would make two different ids look equal. The price is that emoji built with
 * a zero-width joiner show as their parts; bot text is not the place for them. Every replacement is
 * one UTF-16 unit per unit replaced (a tag character, two units, becomes two), so widths computed
 * on the cleaned text stay right.
 */
final class ShownText {
    static final char INVISIBLE = '\uFFFD';

    private ShownText() {
    }

    /** As {@link #clean}, keeping line breaks: for messages of several lines that clf composed itself. */
    static String cleanLines(String text) {
        if (text.indexOf('\n') < 0) {
            return clean(text);
        }
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            lines[i] = clean(lines[i]);
        }
        return String.join("\n", lines);
    }

    static String clean(String text) {
        StringBuilder clean = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int type = Character.getType(Character.codePointAt(text, i));
            char replacement;
            if (Character.isISOControl(c) || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR) {
                replacement = ' ';
            } else if (type == Character.FORMAT) {
                replacement = INVISIBLE;
            } else if (Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(text.charAt(i - 1))
                    && clean != null && clean.charAt(i - 1) == INVISIBLE) {
                replacement = INVISIBLE; // second half of a supplementary format character, e.g. a tag
            } else {
                continue;
            }
            if (clean == null) {
                clean = new StringBuilder(text);
            }
            clean.setCharAt(i, replacement);
        }
        return clean == null ? text : clean.toString();
    }
}
