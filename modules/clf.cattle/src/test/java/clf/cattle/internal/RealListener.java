package clf.cattle.internal;

import clf.queue.JobStore;
import clf.queue.JobStores;
import clf.queue.NewJob;
import clf.secrets.BootstrapTokens;
import clf.secrets.SecretSource;
import clf.secrets.TokenGrant;
import clf.server.internal.cattle.listener.CattleApi;
import clf.server.internal.cattle.listener.PeerVerifier;
import clf.server.internal.cattle.listener.RefusedCallers;
import clf.server.internal.log.Log;
import clf.server.internal.tailnet.LocalApi;
import clf.testing.TailscaledDouble;
import io.undertow.Undertow;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The daemon's real cattle listener as {@code CattleApiTest} runs it: Undertow on loopback with
 * the real {@link CattleApi}, a real token file and job store in a temp dir, and, when peer
 * verification is on, tailscaled's LocalAPI played by {@link TailscaledDouble} on a real Unix
 * socket (the agent calls from 127.0.0.1, so that is the address the double is told about).
 */
final class RealListener implements AutoCloseable {
    static final String VM_NAME = TailscaledDouble.FIXTURE_NAME;
    static final Map<String, String> SECRETS = Map.of("OPENAI_API_KEY", "sk-agent-test-secret");

    final BootstrapTokens tokens;
    final JobStore jobs;
    final TailscaledDouble tailscaled;
    final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private final RefusedCallers refusals;
    private final Undertow server;
    final int port;

    private RealListener(Path dir, boolean verifyPeers) throws IOException {
        tokens = BootstrapTokens.open(dir.resolve("state/tokens.sqlite"), Clock.systemUTC());
        jobs = JobStores.openSqlite(dir.resolve("state/state.sqlite"));
        Log log = new Log(new PrintStream(logged, true, StandardCharsets.UTF_8), Clock.systemUTC());
        PeerVerifier peers = PeerVerifier.off();
        if (verifyPeers) {
            tailscaled = TailscaledDouble.start(dir.resolve("tailscaled.sock"));
            peers = PeerVerifier.tailnet(new LocalApi(tailscaled.socket()));
        } else {
            tailscaled = null;
        }
        refusals = new RefusedCallers(Clock.systemUTC(), log);
        server = Undertow.builder().setIoThreads(1).setWorkerThreads(8).addHttpListener(0, "127.0.0.1")
                .setHandler(new CattleApi(tokens, new SecretSource(dir.resolve("no-credentials"), SECRETS), jobs, peers,
                        refusals, false, log))
                .build();
        server.start();
        port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    }

    static RealListener start(Path dir) throws IOException {
        return new RealListener(dir, false);
    }

    /** With peer verification through a tailscaled double that knows no node yet. */
    static RealListener verifyingPeers(Path dir) throws IOException {
        return new RealListener(dir, true);
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    String spawnJob() {
        return jobs.enqueue(NewJob.of("cattle.spawn", "maren", "{}")).jobId();
    }

    /** A token for a spawn job's server, its env the OpenAI key and the public auto-shutdown switch given. */
    String issue(String jobId, Map<String, String> publicEnv) {
        return tokens.issue(new TokenGrant(jobId, "maren", VM_NAME, List.of(List.of("OPENAI_API_KEY", "OPEN_AI_APIKEY")), publicEnv),
                Duration.ofMinutes(10)).token().reveal();
    }

    String log() {
        return logged.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        server.stop();
        refusals.close();
        if (tailscaled != null) {
            tailscaled.close();
        }
        tokens.close();
        jobs.close();
    }
}
