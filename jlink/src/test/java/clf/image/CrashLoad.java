package clf.image;

import clf.queue.Job;
import clf.queue.JobQuery;
import clf.queue.JobStatus;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Fault proof, scenario 1: the real daemon ({@code bin/clf-orchestrator}) killed with SIGKILL
 * again and again under a steady load of spawns with short TTLs, reaps and dry-run reaps, and
 * started again at once. The Hetzner simulator lives in this process, so its servers outlive
 * every daemon. Each cycle the daemon runs for a random time, or until a chosen Hetzner call has
 * taken effect: then it dies inside that call, before the answer reaches it (a create, or a
 * delete); or it dies just after a bot sent an enqueue with a key, which the bot sends again.
 * Afterwards a last daemon lets everything settle and {@link Aftermath} counts: no job lost or
 * completed twice, no duplicate server, nothing left running or held.
 */
final class CrashLoad {
    /** Where in a cycle the kill falls. */
    enum KillMoment {
        /** A random time after the daemon became ready. */
        ANY_TIME(null),
        /** Inside {@code POST /servers}: the server exists, the daemon never hears so. */
        AFTER_CREATE("POST /servers"),
        /** Inside {@code DELETE /servers/{id}}: the server is going, the daemon never hears so. */
        AFTER_DELETE("DELETE /servers/{id}"),
        /**
         * 0-20 ms after a bot's enqueue with a key went out: its connection dies with the daemon,
         * and the request may or may not have been stored; the bot sends it again.
         */
        IN_ENQUEUE(null);

        final String route;

        KillMoment(String route) {
            this.route = route;
        }
    }

    /**
     * @param cycles daemon lives, each ended by SIGKILL
     * @param minUp  shortest life of a daemon after it is ready
     * @param maxUp  longest; an armed kill whose call does not come by then falls here
     * @param settle how long the last daemon gets to end every job
     */
    record Settings(long seed, int cycles, Duration minUp, Duration maxUp, SteadyLoad load, Duration settle) {
        static final SteadyLoad LOAD = new SteadyLoad(Duration.ofMillis(100), Duration.ofMillis(400), 0.45, 0.25,
                Duration.ofSeconds(2), Duration.ofSeconds(6), 4);

        static Settings full(long seed, int cycles) {
            return new Settings(seed, cycles, Duration.ofMillis(1_000), Duration.ofMillis(4_000), LOAD,
                    Duration.ofMinutes(3));
        }

        static Settings quick(long seed) {
            return new Settings(seed, 10, Duration.ofMillis(1_000), Duration.ofMillis(3_000), LOAD,
                    Duration.ofMinutes(2));
        }
    }

    private CrashLoad() {
    }

    static ProofReport run(Settings settings, Path dir, PrintStream progress) throws Exception {
        ProofReport report = new ProofReport("crash");
        report.figure("seed", settings.seed());
        Random random = new Random(settings.seed());
        List<DaemonProcess> daemons = new ArrayList<>();
        try (CattleHost host = new CattleHost(dir)) {
            ServerLedger ledger = new ServerLedger();
            host.sim.addListener(ledger);
            host.sim.setBootDelay(Duration.ofMillis(500));
            host.sim.setDeleteDelay(Duration.ofMillis(300));
            host.sim.setRateLimit(1_000_000); // the proof is about kills, not Hetzner's rate limit
            AtomicReference<DaemonProcess> current = new AtomicReference<>();
            AtomicReference<String> armed = new AtomicReference<>();
            host.sim.addObserver(exchange -> {
                String route = armed.get();
                if (route != null && route.equals(exchange.route()) && exchange.status() < 300
                        && armed.compareAndSet(route, null)) {
                    DaemonProcess victim = current.get();
                    kill(victim);
                    awaitExit(victim); // dead before the answer leaves
                }
            });

            long start = System.nanoTime();
            DaemonProcess daemon = host.start("d", CattleHost.UNDER_LOAD);
            daemons.add(daemon);
            current.set(daemon);
            RetryingBot bot = new RetryingBot(daemon.socket(), Duration.ofSeconds(60));
            SteadyLoad.Running load = settings.load().start(bot, settings.seed(), "k" + settings.seed() + "-");
            Map<KillMoment, Integer> kills = new EnumMap<>(KillMoment.class);
            int killsCuttingJobs = 0;
            int jobsCut = 0;
            for (int cycle = 1; cycle <= settings.cycles(); cycle++) {
                KillMoment moment = random.nextInt(10) < 4 ? KillMoment.ANY_TIME
                        : KillMoment.values()[1 + random.nextInt(3)];
                long upMs = settings.minUp().toMillis()
                        + (long) (random.nextDouble() * (settings.maxUp().toMillis() - settings.minUp().toMillis()));
                long upStart = System.nanoTime();
                long deadline = upStart + upMs * 1_000_000;
                if (moment == KillMoment.IN_ENQUEUE) {
                    // Armed halfway, so the daemon has been up a while. The kill comes 0-20 ms
                    // after the write: most such enqueues are stored first, some are not.
                    Thread.sleep(upMs / 2);
                    DaemonProcess victim = daemon;
                    long delayMs = random.nextInt(21);
                    bot.afterNextKeyedSend(() -> {
                        sleepQuietly(delayMs);
                        kill(victim);
                        awaitExit(victim);
                        return true;
                    });
                } else {
                    armed.set(moment.route);
                }
                while (daemon.isAlive() && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                boolean armedCallCame = moment == KillMoment.IN_ENQUEUE ? !bot.cancelAfterNextKeyedSend()
                        : moment != KillMoment.ANY_TIME && armed.getAndSet(null) == null;
                if (!armedCallCame) {
                    moment = KillMoment.ANY_TIME; // an armed call that never came: killed at the time instead
                    kill(daemon);
                }
                daemon.awaitExit(Duration.ofSeconds(10));
                long upMsActual = (System.nanoTime() - upStart) / 1_000_000;
                kills.merge(moment, 1, Integer::sum);
                int cut = runningOn(host, daemon.pid());
                killsCuttingJobs += cut > 0 ? 1 : 0;
                jobsCut += cut;
                progress.printf("crash cycle %d/%d: SIGKILL %s after %d ms up, %d running jobs cut; %d enqueues accepted%n",
                        cycle, settings.cycles(), moment.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '),
                        upMsActual, cut, bot.accepted.get());
                daemon = host.start("d", CattleHost.UNDER_LOAD);
                daemons.add(daemon);
                current.set(daemon);
            }
            long loadMs = (System.nanoTime() - start) / 1_000_000;
            load.stop();

            Aftermath aftermath = new Aftermath(host, ledger, report);
            long drainMs = aftermath.awaitJobsEnded(settings.settle());
            long goneMs = aftermath.awaitNoServers(settings.load().maxTtl().plus(Duration.ofSeconds(30)));
            long totalMs = (System.nanoTime() - start) / 1_000_000;

            report.figure("cycles", settings.cycles());
            report.figure("SIGKILLs", kills.values().stream().mapToInt(Integer::intValue).sum() + " (" + kills.toString()
                    .toLowerCase(java.util.Locale.ROOT) + ")");
            report.figure("SIGKILLs that cut running jobs", killsCuttingJobs + " (" + jobsCut + " jobs)");
            report.figure("load duration ms", loadMs);
            report.figure("jobs ended after the load stopped, ms", drainMs < 0 ? "NOT within " + settings.settle() : drainMs);
            report.figure("servers gone after that, ms", goneMs < 0 ? "NOT within the wait" : goneMs);
            report.figure("duration ms", totalMs);
            reportBot(report, bot, load.accepted());
            StringBuilder logs = new StringBuilder();
            daemons.forEach(d -> logs.append(d.output()));
            aftermath.check(load.accepted(), List.of(CattleHost.HCLOUD_TOKEN, "tskey-test", "sk-test"), logs.toString());
            daemon.stop();
        }
        return report;
    }

    /** The client's side: what was enqueued and what the kills did to its requests. */
    static void reportBot(ProofReport report, RetryingBot bot, List<RetryingBot.Enqueued> accepted) {
        Map<String, Long> kinds = new java.util.TreeMap<>();
        accepted.forEach(e -> kinds.merge(e.kind(), 1L, Long::sum));
        report.figure("enqueues accepted (200 + jobId)", accepted.size() + " " + kinds + ", " + bot.keyed.get()
                + " sent with an idempotency key");
        report.figure("connects refused while the daemon was down (retried)", bot.connectFailures.get());
        report.figure("requests cut by a kill, resent with their key", bot.resentAfterCut.get());
        report.figure("  of which deduped (the first had been stored)", bot.dedupes.get());
        report.figure("requests cut by a kill without a key (outcome unknown to the client)", bot.lostUnkeyed.get());
        report.figure("distinct jobs accepted", accepted.stream().map(RetryingBot.Enqueued::jobId).distinct().count());
        bot.refusals().forEach(refusal -> report.broken("enqueues refused", refusal));
        report.invariant("enqueues refused");
        bot.gaveUp().forEach(lost -> report.broken("enqueues given up (daemon unreachable 60 s)", lost));
        report.invariant("enqueues given up (daemon unreachable 60 s)");
    }

    /** Jobs still marked running by the workers of daemon {@code pid} (its kill cut them). */
    private static int runningOn(CattleHost host, long pid) {
        List<Job> running = host.store().list(JobQuery.all().withStatuses(Set.of(JobStatus.RUNNING))
                .withLimit(JobQuery.MAX_LIMIT)).jobs();
        String marker = "-" + pid + "-";
        return (int) running.stream().filter(job -> job.lockedBy() != null && job.lockedBy().contains(marker)).count();
    }

    private static void awaitExit(DaemonProcess daemon) {
        try {
            daemon.awaitExit(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void kill(DaemonProcess daemon) {
        try {
            daemon.signal("KILL");
        } catch (Exception e) {
            throw new IllegalStateException("cannot kill daemon " + daemon.pid(), e);
        }
    }
}
