package clf.image;

import clf.hetzner.sim.HetznerSimulator;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Fault proof, scenario 2: Hetzner misbehaves while bots keep spawning and reaping. One daemon
 * ({@code bin/clf-orchestrator}) runs against the simulator through a storm of three phases with
 * calm between them: every request answered 429 for a while ({@code rateLimitFor}), bursts of
 * 500 and 503 ({@code failNext}), and answers held longer than the daemon's 15 s request timeout
 * ({@code holdNext}: the call takes effect, its answer is lost). Then the load stops and the
 * daemon drains. {@link Aftermath} checks that every job ended done or failed with a reason that
 * names the Hetzner condition, that none is stuck, and that no spawn made two servers.
 */
final class HetznerStorm {
    /** Longer than the daemon's Hetzner request timeout (15 s), so a held answer is a timeout. */
    static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(15);

    /**
     * @param calm  before the storm, between its phases and after it, with no fault
     * @param hold  how long a held answer is held
     */
    record Settings(long seed, Duration calm, Duration rateLimit, Duration errors, Duration timeouts, Duration hold,
                    SteadyLoad load, Duration settle) {
        static final SteadyLoad LOAD = new SteadyLoad(Duration.ofMillis(200), Duration.ofMillis(600), 0.5, 0.25,
                Duration.ofSeconds(3), Duration.ofSeconds(8), 4);

        static Settings full(long seed) {
            return new Settings(seed, Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(60),
                    Duration.ofSeconds(60), CLIENT_TIMEOUT.plusSeconds(5), LOAD, Duration.ofMinutes(5));
        }

        static Settings quick(long seed) {
            return new Settings(seed, Duration.ofSeconds(3), Duration.ofSeconds(12), Duration.ofSeconds(10),
                    Duration.ofSeconds(8), CLIENT_TIMEOUT.plusSeconds(1), LOAD, Duration.ofMinutes(3));
        }

        Settings withSeed(long value) {
            return new Settings(value, calm, rateLimit, errors, timeouts, hold, load, settle);
        }

        Settings withRateLimit(Duration value) {
            return new Settings(seed, calm, value, errors, timeouts, hold, load, settle);
        }

        Settings withErrors(Duration value) {
            return new Settings(seed, calm, rateLimit, value, timeouts, hold, load, settle);
        }

        Settings withTimeouts(Duration value) {
            return new Settings(seed, calm, rateLimit, errors, value, hold, load, settle);
        }
    }

    private HetznerStorm() {
    }

    static ProofReport run(Settings settings, Path dir, PrintStream progress) throws Exception {
        ProofReport report = new ProofReport("storm");
        report.figure("seed", settings.seed());
        Random random = new Random(settings.seed());
        try (CattleHost host = new CattleHost(dir)) {
            ServerLedger ledger = new ServerLedger();
            host.sim.addListener(ledger);
            host.sim.setBootDelay(Duration.ofMillis(500));
            host.sim.setDeleteDelay(Duration.ofMillis(300));
            host.sim.setRateLimit(1_000_000); // the storm brings its own 429s
            AtomicReference<String> phase = new AtomicReference<>("calm");
            Map<String, Map<Integer, Integer>> answers = new ConcurrentHashMap<>();
            host.sim.addObserver(exchange -> answers.computeIfAbsent(phase.get(), p -> new ConcurrentHashMap<>())
                    .merge(exchange.status(), 1, Integer::sum));

            DaemonProcess daemon = host.start("d", CattleHost.UNDER_LOAD);
            RetryingBot bot = new RetryingBot(daemon.socket(), Duration.ofSeconds(60));
            SteadyLoad.Running load = settings.load().start(bot, settings.seed(), "s" + settings.seed() + "-");
            long start = System.nanoTime();
            Thread.sleep(settings.calm().toMillis());

            progress.printf("storm: 429 on every request for %d s%n", settings.rateLimit().toSeconds());
            phase.set("429");
            host.sim.rateLimitFor(settings.rateLimit());
            Thread.sleep(settings.rateLimit().toMillis());
            phase.set("calm");
            Thread.sleep(settings.calm().toMillis());

            progress.printf("storm: bursts of 500 and 503 for %d s%n", settings.errors().toSeconds());
            phase.set("5xx");
            int bursts = during(settings.errors(), random, Duration.ofSeconds(1), Duration.ofSeconds(3),
                    () -> burstOfErrors(host.sim, random));
            host.sim.clearFaults();
            phase.set("calm");
            Thread.sleep(settings.calm().toMillis());

            progress.printf("storm: answers held %d s (client timeout %d s) for %d s%n", settings.hold().toSeconds(),
                    CLIENT_TIMEOUT.toSeconds(), settings.timeouts().toSeconds());
            phase.set("timeouts");
            List<Integer> held = new ArrayList<>();
            during(settings.timeouts(), random, Duration.ofSeconds(3), Duration.ofSeconds(6), () -> {
                int requests = 1 + random.nextInt(3);
                held.add(requests);
                host.sim.holdNext(requests, settings.hold());
            });
            host.sim.clearFaults();
            phase.set("after");
            long stormMs = (System.nanoTime() - start) / 1_000_000;
            progress.println("storm: over; the load stops and the daemon drains");
            load.stop();

            Aftermath aftermath = new Aftermath(host, ledger, report);
            long drainMs = aftermath.awaitJobsEnded(settings.settle());
            long goneMs = aftermath.awaitNoServers(settings.load().maxTtl().plus(Duration.ofSeconds(30)));
            report.figure("phases, s", "calm " + settings.calm().toSeconds() + ", 429 " + settings.rateLimit().toSeconds()
                    + ", calm, 5xx bursts " + settings.errors().toSeconds() + ", calm, held answers "
                    + settings.timeouts().toSeconds() + " (held " + settings.hold().toSeconds() + " s, client timeout "
                    + CLIENT_TIMEOUT.toSeconds() + " s)");
            report.figure("storm duration ms (load running)", stormMs);
            for (String name : List.of("429", "5xx", "timeouts")) {
                report.figure("Hetzner answers during " + name, new TreeMap<>(answers.getOrDefault(name, Map.of())));
            }
            report.figure("5xx bursts", bursts);
            report.figure("answers held", held.stream().mapToInt(Integer::intValue).sum() + " in " + held.size()
                    + " injections");
            report.figure("time to drain after the storm, ms",
                    drainMs < 0 ? "NOT within " + settings.settle() : drainMs);
            report.figure("servers gone after that, ms", goneMs < 0 ? "NOT within the wait" : goneMs);
            CrashLoad.reportBot(report, bot, load.accepted());
            aftermath.check(load.accepted(), List.of(CattleHost.HCLOUD_TOKEN, "tskey-test", "sk-test"), daemon.output());
            daemon.stop();
        }
        return report;
    }

    /** The next requests fail with 500 server_error or 503 unavailable, 4 to 12 of them (the client tries 4 times). */
    private static void burstOfErrors(HetznerSimulator sim, Random random) {
        int requests = 4 + random.nextInt(9);
        if (random.nextBoolean()) {
            sim.failNext(requests, 500, "server_error", "injected server error");
        } else {
            sim.failNext(requests, 503, "unavailable", "injected: service unavailable");
        }
    }

    /** Runs {@code action} at random intervals for {@code length}; how many times it ran. */
    private static int during(Duration length, Random random, Duration minGap, Duration maxGap, Runnable action)
            throws InterruptedException {
        long end = System.nanoTime() + length.toNanos();
        int times = 0;
        for (long next = System.nanoTime(); next < end; ) {
            action.run();
            times++;
            next += (minGap.toMillis() + (long) (random.nextDouble() * (maxGap.toMillis() - minGap.toMillis())))
                    * 1_000_000;
            long sleepMs = (Math.min(next, end) - System.nanoTime()) / 1_000_000;
            if (sleepMs > 0) {
                Thread.sleep(sleepMs);
            }
        }
        return times;
    }
}
