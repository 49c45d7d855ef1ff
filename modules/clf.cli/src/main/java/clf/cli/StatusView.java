package clf.cli;

import clf.protocol.Health;
import clf.protocol.Histogram;
import clf.protocol.StatusReport;
import clf.protocol.WireStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** How {@code clf status} looks to people: the health checks, then one line per part of the daemon. */
final class StatusView {
    private StatusView() {
    }

    static List<String> lines(StatusReport report) {
        List<String> lines = new ArrayList<>();
        Health health = report.health();
        lines.add("health: " + (health.ok() ? "ok" : "FAILING (" + String.join(", ", health.failed()) + ")"));
        Table checks = Table.of(3);
        health.checks().forEach((name, check) -> checks.row("  " + name, check.ok() ? "ok" : "FAIL", check.detail()));
        lines.addAll(checks.lines());

        Table figures = Table.of(2);
        figures.row("daemon", "clf-orchestrator " + report.version() + ", up "
                + duration(Duration.between(report.startedAt(), report.at())) + " (since "
                + JobViews.time(clf.protocol.WireTime.format(report.startedAt())) + ")");
        if (report.store() != null) {
            figures.row("store", store(report.store()));
        }
        figures.row("jobs", report.jobs() == null ? "unknown: the job store could not be read" : jobs(report));
        StatusReport.Workers workers = report.workers();
        figures.row("workers", workers.busy() + " of " + workers.configured() + " busy; runs "
                + String.join(", ", workers.kinds()));
        figures.row("waits", waits(report.claimLatency()));
        StatusReport.Cattle cattle = report.cattle();
        if (cattle == null) {
            figures.row("cattle", "disabled");
        } else {
            figures.row("cattle", (cattle.servers() == null ? "?" : cattle.servers()) + " of " + cattle.maxInstances()
                    + " servers");
            StatusReport.Tokens tokens = cattle.tokens();
            figures.row("tokens", tokens == null ? "unknown: the token file could not be read"
                    : tokens.issued() + " issued, " + tokens.redeemed() + " redeemed, " + tokens.revoked()
                            + " revoked, " + tokens.refusedTotal() + " refused, " + tokens.expiredUnused()
                            + " expired unused");
            figures.row("hetzner", hetzner(cattle.hetzner()));
        }
        lines.addAll(figures.lines());
        return lines;
    }

    /** {@code PostgreSQL postgresql://clf@db:5432/clf, answered in 1.2 ms}; why not is the database check's. */
    private static String store(StatusReport.Store store) {
        return store.engine() + " " + store.location() + ", " + (store.pingSeconds() == null ? "not answering"
                : "answered in " + String.format(Locale.ROOT, "%.1f ms", store.pingSeconds() * 1000));
    }

    private static String jobs(StatusReport report) {
        StatusReport.Jobs jobs = report.jobs();
        String waiting = jobs.oldestRunnableAge(report.at()).map(age -> ", the oldest waiting " + duration(age))
                .orElse("");
        return jobs.total(WireStatus.QUEUED) + " queued (" + jobs.runnable() + " runnable" + waiting + "), "
                + jobs.total(WireStatus.RUNNING) + " running, " + jobs.total(WireStatus.DONE) + " done, "
                + jobs.total(WireStatus.FAILED) + " failed, " + jobs.total(WireStatus.CANCELED) + " canceled";
    }

    /** Claims since the daemon started, all kinds together: how many, and bucket edges of p50 and p99. */
    private static String waits(List<StatusReport.Timing> claims) {
        Histogram all = null;
        for (StatusReport.Timing timing : claims) {
            all = all == null ? timing.seconds() : sum(all, timing.seconds());
        }
        if (all == null || all.count() == 0) {
            return "no claims yet";
        }
        return counted(all.count(), "claim") + ", from runnable to claimed: p50 " + bound(all.quantileBound(0.5)) + ", p99 "
                + bound(all.quantileBound(0.99));
    }

    private static Histogram sum(Histogram a, Histogram b) {
        if (!a.bounds().equals(b.bounds())) {
            return a; // the daemon uses one set of bounds; anything else is left out rather than misread
        }
        List<Long> counts = new ArrayList<>();
        for (int i = 0; i < a.counts().size(); i++) {
            counts.add(a.counts().get(i) + b.counts().get(i));
        }
        return new Histogram(a.bounds(), counts, a.sum() + b.sum());
    }

    private static String bound(double seconds) {
        return Double.isInfinite(seconds) ? "over the largest bucket" : "≤ " + seconds(seconds);
    }

    private static String hetzner(StatusReport.Hetzner api) {
        long ok = api.answered(200, 299);
        long rateLimited = api.answered(429, 429);
        long serverErrors = api.answered(500, 599);
        long other = api.answered(0, Integer.MAX_VALUE) - ok - rateLimited - serverErrors;
        String text = api.requests() + " requests: " + ok + " ok, " + counted(other, "client error") + ", "
                + rateLimited + " rate-limited, " + counted(serverErrors, "server error") + ", "
                + api.transportFailures() + " unanswered";
        if (api.rateLimitRemaining() != null && api.rateLimitLimit() != null) {
            text += "; rate limit " + api.rateLimitRemaining() + " of " + api.rateLimitLimit() + "/h left";
        }
        return text;
    }

    private static String counted(long count, String what) {
        return count + " " + what + (count == 1 ? "" : "s");
    }

    /** {@code 850 ms}, {@code 3.2 s}, {@code 4m 05s}, {@code 3h 12m}, {@code 2d 5h}. */
    static String duration(Duration duration) {
        long ms = Math.max(0, duration.toMillis());
        if (ms < 1000) {
            return ms + " ms";
        }
        if (ms < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
        }
        long s = ms / 1000;
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm %02ds", s / 60, s % 60);
        }
        if (s < 86_400) {
            return String.format(Locale.ROOT, "%dh %02dm", s / 3600, s % 3600 / 60);
        }
        return String.format(Locale.ROOT, "%dd %dh", s / 86_400, s % 86_400 / 3600);
    }

    private static String seconds(double seconds) {
        return seconds < 1 ? Math.round(seconds * 1000) + " ms" : String.format(Locale.ROOT, "%s s",
                seconds == Math.rint(seconds) ? String.valueOf((long) seconds) : String.valueOf(seconds));
    }
}
