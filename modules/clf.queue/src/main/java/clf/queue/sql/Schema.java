package clf.queue.sql;

import java.util.List;

/**
 * The tables of one store as numbered steps: step {@code i} brings the schema from version
 * {@code i} to {@code i + 1} (SQLite: {@code PRAGMA user_version}; PostgreSQL: a row of
 * {@code clf_schema_versions}). Released steps never change; a new version appends a step. A
 * store that runs on both engines has one schema per engine, under the same name.
 *
 * @param name  what the store holds, for error messages and as its version's key ("job queue")
 * @param steps SQL scripts, statements separated by {@code ;} at a line end
 */
public record Schema(String name, List<String> steps) {
    public Schema {
        steps = List.copyOf(steps);
    }

    public int latest() {
        return steps.size();
    }

    /** Step {@code step}'s statements, one by one (for a driver that runs one statement per call). */
    public List<String> statements(int step) {
        return java.util.Arrays.stream(steps.get(step).split(";\\s*\\n")).filter(s -> !s.isBlank()).toList();
    }
}
