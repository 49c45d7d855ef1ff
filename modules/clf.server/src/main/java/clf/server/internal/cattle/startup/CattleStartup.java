package clf.server.internal.cattle.startup;

import clf.protocol.Health;
import clf.protocol.WireTime;
import clf.server.internal.cattle.CattleRuntime;
import clf.server.internal.cattle.listener.PeerVerifier;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The cattle side while the daemon starts it behind the bot socket (tokens, capacity, the
 * tailnet listener, then Hetzner's catalog and the original's servers, which take round trips
 * to Hetzner): bots can enqueue, show and list meanwhile, the workers take cattle jobs once it
 * is {@link #ready}, and the health checks of its parts say that it is still starting. A start
 * that fails ends the daemon (exit 1, as a failed start always did); until it has exited, the
 * checks fail with the reason.
 */
public final class CattleStartup {
    /** What the cattle side is made of once started. */
    public record Parts(CattleRuntime runtime, InetSocketAddress listener, PeerVerifier peers) {
    }

    private final CompletableFuture<Parts> parts = new CompletableFuture<>();
    private final Instant since;

    public CattleStartup(Clock clock) {
        this.since = clock.instant();
    }

    public void ready(Parts started) {
        parts.complete(started);
    }

    public void failed(Throwable error) {
        parts.completeExceptionally(error);
    }

    /** The parts once started; null while starting or after a failed start. */
    public Parts now() {
        return parts.isDone() && !parts.isCompletedExceptionally() ? parts.join() : null;
    }

    /** The runtime, waiting at most {@code wait} for the start; null if it is not done by then or failed. */
    public CattleRuntime runtimeWithin(Duration wait) {
        try {
            return parts.get(wait.toMillis(), TimeUnit.MILLISECONDS).runtime();
        } catch (TimeoutException | ExecutionException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * The health check of a part of the cattle side: {@code started}'s once the side runs; until
     * then well, saying that {@code part} is still starting; failing after a failed start.
     */
    public Health.Check check(String part, Function<Parts, Health.Check> started) {
        Parts now = now();
        return now != null ? started.apply(now) : notReady(part);
    }

    private Health.Check notReady(String part) {
        if (parts.isCompletedExceptionally()) {
            Throwable error = parts.handle((ok, e) -> e).join();
            Throwable cause = error.getCause() != null ? error.getCause() : error;
            return Health.Check.failing("the cattle side failed to start: " + cause.getMessage());
        }
        return Health.Check.well("starting: " + part + " (since " + WireTime.format(since) + ")");
    }
}
