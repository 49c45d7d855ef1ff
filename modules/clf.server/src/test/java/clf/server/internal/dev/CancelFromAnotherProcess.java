package clf.server.internal.dev;

import clf.queue.JobStore;
import clf.queue.JobStores;
import java.nio.file.Path;

/**
 * Run in a JVM of its own: cancels a job by writing to the daemon's store file directly, as
 * another orchestrator process sharing the file would. Prints the outcome.
 */
public final class CancelFromAnotherProcess {
    private CancelFromAnotherProcess() {
    }

    public static void main(String[] args) {
        try (JobStore store = JobStores.openSqlite(Path.of(args[0]))) {
            System.out.println(store.cancel(args[1]).outcome());
        }
    }
}
