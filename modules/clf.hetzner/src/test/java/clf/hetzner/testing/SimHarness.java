package clf.hetzner.testing;

import clf.hetzner.HetznerClient;
import clf.hetzner.HetznerConfig;
import clf.hetzner.openapi.SpecRecorder;
import clf.hetzner.sim.HetznerSimulator;
import java.time.Duration;

/**
 * A simulator on fake time that accepts only {@link #TOKEN}, with an OpenAPI observer checking
 * every request and answer; {@link #close()} fails the test on any violation. Clients made here
 * share the fake time, so their retries do not really sleep.
 */
public final class SimHarness implements AutoCloseable {
    /** Distinctive, so that tests can assert it never appears in any text. */
    public static final String TOKEN = "tok-SECRET-9f3b1c77e2";

    public final FakeTime time = new FakeTime();
    public final HetznerSimulator sim = HetznerSimulator.start(time);
    public final SpecRecorder spec;

    public SimHarness() {
        this(true);
    }

    /** @param validateRequests false for tests that send invalid requests on purpose */
    public SimHarness(boolean validateRequests) {
        spec = new SpecRecorder(validateRequests);
        sim.addObserver(spec);
        sim.requireToken(TOKEN);
        sim.setBootDelay(Duration.ofSeconds(5));
    }

    /** The simulator's URL, 2 s timeout, 4 tries from 500 ms doubling to 5 s without jitter. */
    public HetznerConfig config() {
        return HetznerConfig.defaults()
                .withBaseUrl(sim.baseUrl())
                .withRequestTimeout(Duration.ofSeconds(2))
                .withRetries(4, Duration.ofMillis(500), Duration.ofSeconds(5), 0);
    }

    public HetznerClient client() {
        return client(config());
    }

    public HetznerClient client(HetznerConfig config) {
        return HetznerClient.create(config, () -> TOKEN, time, time);
    }

    @Override
    public void close() {
        sim.close();
        spec.assertClean();
    }
}
