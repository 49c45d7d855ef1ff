package clf.hetzner;

import java.time.Duration;

/**
 * An {@link CallClass#ORDINARY} call waits because the rate limit is under the reserve; told once
 * per call, on the calling thread, before it first waits.
 *
 * @param call      method and path, e.g. {@code GET /servers}
 * @param limit     {@code RateLimit-Limit}: requests per hour
 * @param remaining what is left, as far as the client knows
 * @param reserve   kept for essential calls
 * @param expectedWait how long it expects to wait until it may go
 */
public record BudgetWait(String call, long limit, long remaining, long reserve, Duration expectedWait) {
}
