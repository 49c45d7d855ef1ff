package clf.queue.sqlite;

import java.util.List;

/**
 * The tables of one SQLite file as numbered steps: step {@code i} brings the schema from
 * version {@code i} to {@code i + 1} ({@code PRAGMA user_version}). Released steps never change;
 * a new version appends a step.
 *
 * @param name  what the file holds, for error messages ("job queue")
 * @param steps SQL scripts, statements separated by {@code ;} at a line end
 */
public record Schema(String name, List<String> steps) {
    public Schema {
        steps = List.copyOf(steps);
    }

    public int latest() {
        return steps.size();
    }
}
