package clf.cli;

import clf.protocol.JobKind;
import clf.protocol.WireStatus;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;

/**
 * What the values of an option or parameter can be, for completion (bash, zsh, fish and
 * {@code clf shell}) and the man pages. Kinds and statuses come from their enums, the only lists
 * of them; job ids are known only to the orchestrator, so {@link JobIds} offers none statically
 * and marks where {@code clf shell} asks the orchestrator.
 *
 * <p>The commands instantiate these when they build their model; they touch the enums only
 * when iterated, so a plain command run pays for nothing but the classes.
 */
final class Candidates {
    private Candidates() {
    }

    /** {@code cattle.spawn}, {@code cattle.reap}. */
    static final class Kinds implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(JobKind.values()).filter(JobKind::isV1).map(JobKind::wireName).iterator();
        }
    }

    /** What {@code jobs list --kind} takes: v1's kinds and the orchestrator's own ({@code clf.prune}). */
    static final class ListableKinds implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return JobKind.LISTABLE.iterator();
        }
    }

    /** {@code queued}, {@code running}, {@code done}, {@code failed}, {@code canceled}. */
    static final class Statuses implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(WireStatus.values()).map(WireStatus::wireName).iterator();
        }
    }

    /** A job id: none known without asking the orchestrator, which {@code clf shell} does. */
    static final class JobIds implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Collections.emptyIterator();
        }
    }
}
