package clf.image;

import clf.image.MalformedRequests.Case;
import clf.image.RequestFuzzer.Listener;
import clf.queue.JobStore;
import clf.queue.JobStores;
import clf.queue.NewJob;
import clf.testing.Race;
import clf.testing.RawHttp;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Scenarios A and B of the reliability harness ({@link ReliabilityHarness}, {@link
 * HostileInputIT}), on the production daemon with cattle on and a Hetzner simulator in this JVM:
 *
 * <ol>
 * <li>A first daemon stores something in each database: jobs due later, a spawn whose token a
 * test VM redeems, and a spawn whose token is kept for scenario B. It stops cleanly; the
 * database files are hashed.
 * <li>A second daemon on the same state gets the bad requests, on both listeners at once, with
 * slow clients beside them. Afterwards both /healthz answer 200, the process is alive and the
 * job listing is unchanged; it stops cleanly and the files are hashed again: they must be the
 * same bytes, as nothing valid was sent.
 * <li>A third daemon on the same state takes a valid enqueue and a valid redemption, and 64
 * concurrent redemptions of the token kept from step 1 (scenario B): exactly one 200.
 * </ol>
 *
 * <p>What the daemon writes by itself, and why none of it lands in step 2: a {@code cattle.reap}
 * every {@code CLF_REAP_INTERVAL} (set to 1d here, so the first is a day away); a {@code
 * clf.prune} 60 s after start and then daily, enqueued with the idempotency key {@code
 * clf.prune-<UTC day>}: the prune jobs for this day and the next are stored before the hashes
 * (as after any earlier run that day), so that enqueue finds its job and writes nothing; claims
 * by idle workers only read until a job is due, and none is; lease renewals only run for running
 * jobs, and none runs.
 */
final class HostileInputRun {
    static final long DEFAULT_SEED = 20261127L;
    static final String HCLOUD = "hcloud-hostile-input";
    static final String OPENAI = "sk-hostile-input";
    private static final String ENV = "/v1/cattle/env";

    private HostileInputRun() {
    }

    /** What one listener answered to its share of the bad requests. */
    record ListenerResult(String listener, int cases, int requests, long ms, Map<String, Integer> classes,
            Map<String, Map<String, Integer>> byCategory, List<String> violations) {
    }

    /** Everything the run saw; {@link #problems} lists what broke the rules. */
    record Result(long seed, int requestsPerListener, List<ListenerResult> listeners, List<Slowloris.Outcome> slowloris,
            long fuzzMs, long fuzzedDaemonMs, int botHealthAfter, int cattleHealthAfter, boolean aliveAfter, List<Object> jobsBefore,
            List<Object> jobsAfter, long enqueueLogLines, long redemptionLogLines, Map<String, String> hashesBefore,
            Map<String, String> hashesAfter, int enqueueAfter, int redeemAfter, Map<Integer, Integer> race) {

        List<String> problems() {
            List<String> problems = new ArrayList<>();
            for (ListenerResult listener : listeners) {
                listener.violations().stream().limit(40).forEach(v -> problems.add(listener.listener() + ": " + v));
                if (listener.violations().size() > 40) {
                    problems.add(listener.listener() + ": … " + (listener.violations().size() - 40) + " more");
                }
            }
            slowloris.stream().filter(o -> !o.ok()).forEach(o -> problems.add("slow client: " + o));
            if (botHealthAfter != 200 || cattleHealthAfter != 200 || !aliveAfter) {
                problems.add("after the run: bot /healthz " + botHealthAfter + ", cattle /healthz " + cattleHealthAfter
                        + ", alive " + aliveAfter);
            }
            if (!jobsBefore.equals(jobsAfter)) {
                problems.add("the job listing changed: " + jobsBefore.size() + " jobs before, " + jobsAfter.size() + " after");
            }
            if (enqueueLogLines != 0 || redemptionLogLines != 0) {
                problems.add("the fuzzed daemon logged " + enqueueLogLines + " enqueues and " + redemptionLogLines
                        + " redemptions");
            }
            if (!hashesBefore.equals(hashesAfter)) {
                problems.add("the database files changed: " + hashesBefore + " -> " + hashesAfter);
            }
            if (hashesBefore.keySet().stream().anyMatch(name -> name.endsWith("-wal") || name.endsWith("-shm"))) {
                problems.add("a -wal or -shm file was left after a clean stop: " + hashesBefore.keySet());
            }
            if (enqueueAfter != 200 || redeemAfter != 200) {
                problems.add("afterwards: a valid enqueue got " + enqueueAfter + ", a valid redemption " + redeemAfter);
            }
            if (!race.equals(Map.of(200, 1, 401, 63))) {
                problems.add("64 racers for one token: " + race + " (want one 200 and 63 × 401)");
            }
            return problems;
        }

        void print(PrintStream out) {
            out.printf("Scenario A: %,d bad requests per listener, seed %d, fuzzing %,d ms (the fuzzed daemon ran %,d ms;"
                    + " its prune timer fires at 60 s)%n", requestsPerListener, seed, fuzzMs, fuzzedDaemonMs);
            for (ListenerResult listener : listeners) {
                out.printf("  %s: %,d requests in %,d cases, %,d ms: %s; violations %d%n", listener.listener(),
                        listener.requests(), listener.cases(), listener.ms(), answerClasses(listener.classes()),
                        listener.violations().size());
                listener.byCategory().forEach((category, outcomes) -> out.printf("      %-16s %s%n", category, outcomes));
            }
            out.println("  slow clients (beside the fuzzing):");
            slowloris.forEach(o -> out.println("      " + o));
            out.printf("  after: bot /healthz %d, cattle /healthz %d, process alive %s, job listing %s (%d jobs)%n",
                    botHealthAfter, cattleHealthAfter, aliveAfter, jobsBefore.equals(jobsAfter) ? "unchanged" : "CHANGED",
                    jobsAfter.size());
            out.printf("  database files after a clean stop before and after the fuzzing: %s%n",
                    hashesBefore.equals(hashesAfter) ? "byte-for-byte identical" : "DIFFERENT");
            hashesBefore.forEach((name, hash) -> out.printf("      %-16s %s %s %s%n", name, hash,
                    hash.equals(hashesAfter.get(name)) ? "=" : "!=", hashesAfter.get(name)));
            out.printf("  afterwards (restarted on the same state): valid enqueue %d, valid redemption %d%n", enqueueAfter,
                    redeemAfter);
            out.printf("Scenario B: 64 concurrent redemptions of one token (issued before the fuzzing): %s%n",
                    race.entrySet().stream().map(e -> e.getKey() + " × " + e.getValue()).toList());
        }
    }

    /** "4xx 400 × 812, …; closed × 40; aborted × 12" */
    static String answerClasses(Map<String, Integer> classes) {
        List<String> parts = new ArrayList<>();
        classes.forEach((name, count) -> parts.add(name + " × " + count));
        return String.join(", ", parts);
    }

    static Result run(Path dir, long seed, int requestsPerListener, PrintStream progress) throws Exception {
        Map<String, String> env = Map.of("HCLOUD_TOKEN", HCLOUD, "TAILSCALE_AUTH_KEY", "tskey-hostile-input",
                "OPENAI_API_KEY", OPENAI, "CLF_REAP_INTERVAL", "1d", "CLF_CATTLE_BOOTSTRAP_TTL_MS", "900000",
                "CLF_LOG_LEVEL", "debug"); // job.enqueued, counted below, is a per-request (DEBUG) line
        try (CattleRig rig = CattleRig.start(dir, HCLOUD, env)) {
            progress.println("[A] seeding the stores (daemon pid " + rig.daemon.pid() + ")");
            String raceToken = seed(rig);
            rig.daemon.stop();
            storeTodaysPrune(dir.resolve("state.sqlite"));
            Map<String, String> before = StateFiles.sha256(dir);

            long fuzzedSince = System.nanoTime();
            rig.restart();
            progress.println("[A] fuzzing both listeners (daemon pid " + rig.daemon.pid() + ", seed " + seed + ")");
            List<Object> jobsBefore = MalformedRequestsIT.listAll(rig.daemon.socket());
            Fuzzing fuzzing = fuzz(rig, seed, requestsPerListener, progress);
            int botHealth = botHealth(rig);
            int cattleHealth = rig.request("GET", "/healthz", null).status();
            boolean alive = rig.daemon.isAlive();
            List<Object> jobsAfter = MalformedRequestsIT.listAll(rig.daemon.socket());
            long enqueued = rig.daemon.out().lines().filter(l -> l.contains(" job.enqueued ")).count();
            long redeemed = rig.daemon.out().lines().filter(l -> l.contains(" cattle.env-fetched ")).count();
            rig.daemon.stop();
            long fuzzedDaemonMs = (System.nanoTime() - fuzzedSince) / 1_000_000;
            Map<String, String> after = StateFiles.sha256(dir);

            rig.restart();
            progress.println("[A] valid requests after the fuzzing (daemon pid " + rig.daemon.pid() + ")");
            int enqueue = UnixHttp.call(rig.daemon.socket(), "POST", "/v1/jobs/enqueue", UnixHttp.reapBody("after-fuzz"))
                    .status();
            String job = rig.spawn("rex", "after-fuzz");
            int redeem = rig.request("GET", ENV, "Bearer " + CattleRig.tokenOf(rig.awaitServer(job))).status();
            progress.println("[B] 64 concurrent redemptions of one token");
            Map<Integer, Integer> race = race(rig, raceToken);
            return new Result(seed, requestsPerListener, fuzzing.listeners, fuzzing.slowloris, fuzzing.ms, fuzzedDaemonMs,
                    botHealth,
                    cattleHealth, alive, jobsBefore, jobsAfter, enqueued, redeemed, before, after, enqueue, redeem, race);
        }
    }

    /**
     * Jobs due later (two reaps, a spawn), a spawn whose token is redeemed, and one whose token
     * is returned unused; so every database has rows.
     */
    private static String seed(CattleRig rig) throws Exception {
        for (String body : List.of(UnixHttp.reapBody("seed-1"), UnixHttp.reapBody("seed-2"),
                MalformedRequests.json(MalformedRequests.spawn()))) {
            UnixHttp.Response response = UnixHttp.call(rig.daemon.socket(), "POST", "/v1/jobs/enqueue", body);
            if (response.status() != 200) {
                throw new AssertionError("seeding: " + response);
            }
        }
        String redeemed = rig.spawn("rex", "seed-redeemed");
        RawHttp.Response fetched = rig.request("GET", ENV, "Bearer " + CattleRig.tokenOf(rig.awaitServer(redeemed)));
        if (fetched.status() != 200) {
            throw new AssertionError("seeding: redemption got " + fetched);
        }
        rig.awaitStatus(redeemed, "done");
        String kept = rig.spawn("rex", "seed-race");
        String token = CattleRig.tokenOf(rig.awaitServer(kept));
        rig.awaitStatus(kept, "done");
        return token;
    }

    /** The daemon's own prune jobs for this UTC day and the next, as an earlier run that day leaves them. */
    private static void storeTodaysPrune(Path db) {
        long today = System.currentTimeMillis() / Duration.ofDays(1).toMillis();
        try (JobStore store = JobStores.openSqlite(db)) {
            for (long day : new long[] {today, today + 1}) {
                store.enqueue(NewJob.of("clf.prune", "clf", "{}").withIdempotencyKey("clf.prune-" + day)
                        .withRunAt(Instant.parse(UnixHttp.LATER)));
            }
        }
    }

    private record Fuzzing(List<ListenerResult> listeners, List<Slowloris.Outcome> slowloris, long ms) {
    }

    /** Both listeners' cases at once, one connection at a time each, with the slow clients beside them. */
    private static Fuzzing fuzz(CattleRig rig, long seed, int requestsPerListener, PrintStream progress) throws Exception {
        Path socket = rig.daemon.socket();
        int port = rig.port;
        CaseRunner.Connector bot = timeout -> UnixHttp.connect(socket, timeout);
        CaseRunner.Connector cattle = timeout -> UnixHttp.tcp(port, timeout);
        List<Case> botCases = RequestFuzzer.generate(Listener.BOT_API, seed, requestsPerListener);
        List<Case> cattleCases = RequestFuzzer.generate(Listener.CATTLE, seed, requestsPerListener);
        ExecutorService pool = Executors.newCachedThreadPool(r -> {
            Thread thread = new Thread(r, "hostile-input");
            thread.setDaemon(true);
            return thread;
        });
        try {
            long start = System.nanoTime();
            List<CompletableFuture<Slowloris.Outcome>> slow = new ArrayList<>();
            slow.addAll(Slowloris.start("bot API", bot, true, pool));
            slow.addAll(Slowloris.start("cattle listener", cattle, false, pool));
            Future<ListenerResult> botRun = pool.submit(() -> runCases("bot API (Unix socket)", bot, botCases, progress));
            Future<ListenerResult> cattleRun = pool.submit(() -> runCases("cattle listener (TCP)", cattle, cattleCases,
                    progress));
            List<ListenerResult> listeners = List.of(botRun.get(30, TimeUnit.MINUTES), cattleRun.get(30, TimeUnit.MINUTES));
            List<Slowloris.Outcome> slowOutcomes = new ArrayList<>();
            for (CompletableFuture<Slowloris.Outcome> outcome : slow) {
                slowOutcomes.add(outcome.get(2, TimeUnit.MINUTES));
            }
            return new Fuzzing(listeners, slowOutcomes, (System.nanoTime() - start) / 1_000_000);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Runs the cases in order; /healthz of the same listener must answer 200 after every 500. */
    private static ListenerResult runCases(String name, CaseRunner.Connector connector, List<Case> cases,
            PrintStream progress) throws IOException {
        CaseRunner.Tally tally = new CaseRunner.Tally();
        List<String> unhealthy = new ArrayList<>();
        long start = System.nanoTime();
        try (CaseRunner runner = new CaseRunner(connector)) {
            for (int i = 0; i < cases.size(); i++) {
                tally.add(i, cases.get(i), runner.run(cases.get(i)));
                if (i % 500 == 499 || i == cases.size() - 1) {
                    String health = health(connector);
                    if (!health.equals("200")) {
                        unhealthy.add("/healthz after case #" + i + ": " + health);
                    }
                }
                if (i % 2000 == 1999) {
                    progress.printf("    %s: %,d of %,d cases%n", name, i + 1, cases.size());
                }
            }
        }
        List<String> violations = new ArrayList<>(unhealthy);
        violations.addAll(tally.violations());
        return new ListenerResult(name, tally.cases(), tally.requests(), (System.nanoTime() - start) / 1_000_000,
                tally.classes(), tally.byCategory(), violations);
    }

    private static String health(CaseRunner.Connector connector) {
        try (UnixHttp http = connector.connect()) {
            http.write(UnixHttp.request("GET", "/healthz", null));
            UnixHttp.Response response = http.read();
            return response == null ? "closed" : Integer.toString(response.status());
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static int botHealth(CattleRig rig) {
        try {
            return UnixHttp.call(rig.daemon.socket(), "GET", "/healthz", null).status();
        } catch (IOException e) {
            return -1;
        }
    }

    /** 64 threads redeem {@code token} at the same moment; the statuses they got, counted. */
    static Map<Integer, Integer> race(CattleRig rig, String token) throws Exception {
        // Each from its own address: one address past 30 failures a minute is answered 429.
        return Race.count(64, i -> rig.requestFrom(i + 1, "GET", ENV, "Bearer " + token).status());
    }
}
