package clf.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Plain-text columns for people: each column padded to its widest cell, two spaces between
 * columns, trailing spaces trimmed. Cells go through {@link ShownText} (newlines and escape
 * sequences from job messages become spaces) before widths are measured, so one row stays one
 * line, cannot drive the terminal, and stays aligned.
 */
final class Table {
    private final List<String[]> rows = new ArrayList<>();
    private final int columns;

    private Table(int columns) {
        this.columns = columns;
    }

    /** A table whose first row is {@code header}; with no rows it renders the header alone. */
    static Table withHeader(String... header) {
        Table table = new Table(header.length);
        table.row((Object[]) header);
        return table;
    }

    /** A header-less table, e.g. aligned {@code key  value} lines. */
    static Table of(int columns) {
        return new Table(columns);
    }

    Table row(Object... cells) {
        if (cells.length != columns) {
            throw new IllegalArgumentException(columns + " cells expected, got " + cells.length);
        }
        String[] row = new String[columns];
        for (int i = 0; i < columns; i++) {
            row[i] = ShownText.clean(cells[i] == null ? "" : cells[i].toString());
        }
        rows.add(row);
        return this;
    }

    List<String> lines() {
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int i = 0; i < columns; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        List<String> lines = new ArrayList<>(rows.size());
        StringBuilder line = new StringBuilder();
        for (String[] row : rows) {
            line.setLength(0);
            for (int i = 0; i < columns; i++) {
                if (i > 0) {
                    line.append("  ");
                }
                line.append(row[i]);
                if (i < columns - 1) {
                    line.append(" ".repeat(widths[i] - row[i].length()));
                }
            }
            lines.add(line.toString().stripTrailing());
        }
        return lines;
    }
}
