package clf.queue;

import clf.testing.PostgresCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time from {@code /proc} for {@link PostgresQueueBenchmark}: what the PostgreSQL server's
 * processes used, and how idle the whole machine was, so a run on a shared machine can tell its
 * own cost from the others' load.
 */
final class BenchmarkCpu {
    /** Linux's USER_HZ: {@code /proc} counts CPU time in hundredths of a second. */
    private static final long NANOS_PER_TICK = 10_000_000;

    private BenchmarkCpu() {
    }

    /**
     * CPU the server used so far: the postmaster, the backends alive now, and every child that
     * exited (which the postmaster's children's time counts).
     */
    static long serverNanos(PostgresCluster cluster) {
        long postmaster = Long.parseLong(read(cluster.socketDir().resolve(".s.PGSQL." + PostgresCluster.PORT + ".lock"))
                .lines().findFirst().orElseThrow().strip());
        String[] own = stat(postmaster);
        long ticks = Long.parseLong(own[11]) + Long.parseLong(own[12]) + Long.parseLong(own[13]) + Long.parseLong(own[14]);
        for (ProcessHandle child : ProcessHandle.of(postmaster).orElseThrow().children().toList()) {
            try {
                String[] fields = stat(child.pid());
                ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            } catch (UncheckedIOException exited) {
                // Gone since the listing: its time is in the postmaster's children's now.
            }
        }
        return ticks * NANOS_PER_TICK;
    }

    /** The machine's busy and idle ticks so far, for {@link #idleSince}. */
    static long[] machine() {
        String[] cpu = read(Path.of("/proc/stat")).lines().findFirst().orElseThrow().trim().split("\\s+");
        long total = 0;
        for (int i = 1; i < cpu.length; i++) {
            total += Long.parseLong(cpu[i]);
        }
        return new long[] {total, Long.parseLong(cpu[4]) + Long.parseLong(cpu[5])};
    }

    /** The share of the machine's CPU time that was idle since {@code before}. */
    static double idleSince(long[] before) {
        long[] now = machine();
        return now[0] == before[0] ? 0 : (double) (now[1] - before[1]) / (now[0] - before[0]);
    }

    /** The fields of {@code /proc/PID/stat} after the command's name: [0] is the state, [11] utime. */
    private static String[] stat(long pid) {
        String line = read(Path.of("/proc", Long.toString(pid), "stat"));
        return line.substring(line.lastIndexOf(')') + 2).trim().split(" ");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
