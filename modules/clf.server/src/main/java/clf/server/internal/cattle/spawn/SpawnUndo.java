package clf.server.internal.cattle.spawn;

import clf.hetzner.DeleteOutcome;
import clf.hetzner.Server;
import clf.queue.Job;
import clf.server.internal.cattle.CattleRuntime;
import clf.server.internal.cattle.fleet.Labels;
import clf.server.internal.worker.JobContext;
import java.time.Duration;
import java.util.List;

/**
 * Undoes a spawn that must not leave anything behind (canceled, or failed on its last attempt):
 * burns its bootstrap tokens, deletes the server it made (found by its job label when the
 * handler never learnt it), and frees its capacity slot once no server of it is left. Each step
 * is idempotent, so undoing twice costs one more lookup and changes nothing.
 */
final class SpawnUndo {
    /** Event of each server deleted; between a job's {@code cancel-requested} and its {@code cancel}. */
    static final String SERVER_DELETED = "cattle.server-deleted";

    /** Lookups for a server whose create was cut short, {@link #LOOKUP_PAUSE} apart. */
    private static final int LOOKUPS = 4;
    private static final Duration LOOKUP_PAUSE = Duration.ofMillis(500);

    private final CattleRuntime cattle;

    SpawnUndo(CattleRuntime cattle) {
        this.cattle = cattle;
    }

    /**
     * @param server           the server the attempt made, or null if it does not know one
     * @param createUnanswered whether a create went out whose answer never came: then Hetzner may
     *                         still be making the server, and an empty lookup is asked again
     * @param why              for the event, e.g. "canceled"
     */
    void undo(JobContext context, Server server, boolean createUnanswered, String why) {
        Job job = context.job();
        Thread.interrupted(); // the cleanup itself must not be cut short by the stop that caused it
        try {
            // First: a VM that boots meanwhile must not get the secrets.
            cattle.tokens().revoke(job.id());
            List<Server> servers = server != null ? List.of(server) : serversOf(job, createUnanswered);
            for (Server each : servers) {
                // Essential: a server left behind costs money and a capacity slot.
                DeleteOutcome outcome = cattle.hetzner().essential().deleteServer(each.id());
                context.recordEvent(SERVER_DELETED, "server " + each.id() + " " + each.name() + " (" + why
                        + (outcome == DeleteOutcome.ALREADY_GONE ? "; already gone" : "") + ")");
                cattle.log().info("cattle.server-deleted", "job", job.id(), "server", each.id(), "why", why);
            }
            cattle.slots().release(job.id());
        } catch (RuntimeException | InterruptedException e) {
            // The slot stays taken while the server may exist; the reaper deletes it when its
            // expires-at label passes and frees the slot. Say so where an operator looks.
            cattle.log().error("cattle.cleanup-failed", "job", job.id(), "error", e.getMessage(),
                    "action", "the server is reaped when its expires-at label passes");
        }
    }

    /** This job's servers by label, asked again while empty when a create's answer never came. */
    private List<Server> serversOf(Job job, boolean createUnanswered) throws InterruptedException {
        int lookups = createUnanswered ? LOOKUPS : 1;
        for (int i = 1; ; i++) {
            List<Server> servers = cattle.hetzner().essential().listServers(Labels.JOB_ID + "=" + job.id());
            if (!servers.isEmpty() || i >= lookups) {
                return servers;
            }
            Thread.sleep(LOOKUP_PAUSE.toMillis());
        }
    }
}
