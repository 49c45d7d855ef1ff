package clf.server.internal.status;

import clf.protocol.Health;
import clf.protocol.Histogram;
import clf.protocol.StatusReport;
import clf.protocol.WireStatus;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A {@link StatusReport} in the Prometheus text exposition format 0.0.4: each family as one
 * block of {@code # HELP}, {@code # TYPE} and its samples; counters end in {@code _total};
 * durations are in seconds; histograms are cumulative {@code _bucket{le="…"}} lines ending in
 * {@code +Inf}, then {@code _sum} and {@code _count}. Every name is prefixed {@code clf_}.
 *
 * <p>Not the Prometheus Java client's writer (prometheus-metrics-exposition-textformats 1.10.0 with
 * -model and -config, checked 2026-12): its three jars are automatic modules, which jlink refuses,
 * so each would need a descriptor of ours in jlink/descriptors; it writes every value with
 * {@code Double.toString} ({@code 5.0}, {@code 1.7957808E9} for a start time) and sorts families by
 * name, where this writes plain decimals in the order of the report; and the client has no parser,
 * so the tests' reader stays anyway. It would replace only the ~70 lines of "the format" below.
 */
public final class PrometheusText {
    private static final Pattern METRIC_NAME = Pattern.compile("clf_[a-z0-9_]+");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-z_][a-z0-9_]*");

    private final StringBuilder text = new StringBuilder(8 * 1024);
    private final Set<String> families = new HashSet<>();

    private PrometheusText() {
    }

    public static String render(StatusReport report) {
        PrometheusText out = new PrometheusText();
        out.process(report);
        out.health(report.health());
        if (report.store() != null) {
            out.store(report.store());
        }
        if (report.jobs() != null) {
            out.jobs(report);
        }
        out.workers(report);
        if (report.cattle() != null) {
            out.cattle(report.cattle());
        }
        return out.text.toString();
    }

    private void process(StatusReport report) {
        family("clf_build_info", "gauge", "The daemon's version, as a label; always 1.");
        sample("clf_build_info", 1, "version", report.version());
        family("clf_start_time_seconds", "gauge", "When the daemon started, in Unix seconds.");
        sample("clf_start_time_seconds", report.startedAt().toEpochMilli() / 1000.0);
    }

    private void health(Health health) {
        family("clf_health_check_ok", "gauge", "1 when the health check passes, 0 when it fails (GET /healthz says why).");
        health.checks().forEach((name, check) -> sample("clf_health_check_ok", check.ok() ? 1 : 0, "check", name));
    }

    private void store(StatusReport.Store store) {
        family("clf_store_info", "gauge", "The database behind the daemon's stores (SQLite: this host's files;"
                + " PostgreSQL: the fleet's shared store), as labels; always 1.");
        sample("clf_store_info", 1, "engine", store.engine(), "location", store.location());
        if (store.pingSeconds() != null) {
            family("clf_store_ping_seconds", "gauge",
                    "How long the health check's query took; absent when it got no answer (then the database check fails).");
            sample("clf_store_ping_seconds", store.pingSeconds());
        }
    }

    private void jobs(StatusReport report) {
        StatusReport.Jobs jobs = report.jobs();
        family("clf_jobs", "gauge", "Jobs in the store by kind and status, from every daemon sharing the store.");
        // Every status of every known kind, zeros included, so that a series never just vanishes.
        Set<String> kinds = new TreeSet<>(report.workers().kinds());
        jobs.counts().forEach(count -> kinds.add(count.kind()));
        for (String kind : kinds) {
            for (WireStatus status : WireStatus.values()) {
                long count = jobs.counts().stream()
                        .filter(c -> c.kind().equals(kind) && c.status() == status)
                        .mapToLong(StatusReport.Count::jobs).sum();
                sample("clf_jobs", count, "kind", kind, "status", status.wireName());
            }
        }
        family("clf_jobs_runnable", "gauge", "Queued jobs whose runAt has come: they wait for a worker now.");
        sample("clf_jobs_runnable", jobs.runnable());
        family("clf_jobs_oldest_runnable_age_seconds", "gauge",
                "How long the longest-waiting runnable job has waited since it became runnable"
                        + " (the later of createdAt and runAt); 0 when none waits.");
        sample("clf_jobs_oldest_runnable_age_seconds",
                jobs.oldestRunnableAge(report.at()).map(age -> age.toNanos() / 1e9).orElse(0.0));
    }

    private void workers(StatusReport report) {
        StatusReport.Workers workers = report.workers();
        family("clf_workers_configured", "gauge", "Worker threads this daemon is configured to run.");
        sample("clf_workers_configured", workers.configured());
        family("clf_workers_alive", "gauge", "Worker threads running.");
        sample("clf_workers_alive", workers.alive());
        family("clf_workers_busy", "gauge", "Worker threads running a job.");
        sample("clf_workers_busy", workers.busy());
        family("clf_workers_stuck", "gauge", "Worker threads still running a job whose lease ran out or was lost.");
        sample("clf_workers_stuck", workers.stuck());

        family("clf_job_claim_latency_seconds", "histogram",
                "Seconds from a job becoming runnable (the later of createdAt and runAt) to a worker claiming it.");
        for (StatusReport.Timing timing : report.claimLatency()) {
            histogram("clf_job_claim_latency_seconds", timing.seconds(), "kind", timing.kind());
        }
        family("clf_job_handler_duration_seconds", "histogram",
                "Seconds a job handler ran, by kind and how the attempt ended.");
        for (StatusReport.Timing timing : report.handlerDuration()) {
            histogram("clf_job_handler_duration_seconds", timing.seconds(), "kind", timing.kind(),
                    "outcome", timing.outcome());
        }
    }

    private void cattle(StatusReport.Cattle cattle) {
        if (cattle.servers() != null) {
            family("clf_cattle_servers", "gauge",
                    "Cattle servers held against the limit, live or being created, by every daemon of this host.");
            sample("clf_cattle_servers", cattle.servers());
        }
        family("clf_cattle_max_instances", "gauge", "The most cattle servers there may be at once (CLF_CATTLE_MAX_INSTANCES).");
        sample("clf_cattle_max_instances", cattle.maxInstances());

        StatusReport.Tokens tokens = cattle.tokens();
        if (tokens != null) {
            family("clf_bootstrap_tokens_issued_total", "counter", "Bootstrap tokens made for spawns.");
            sample("clf_bootstrap_tokens_issued_total", tokens.issued());
            family("clf_bootstrap_tokens_redeemed_total", "counter",
                    "Bootstrap tokens a VM traded for its environment.");
            sample("clf_bootstrap_tokens_redeemed_total", tokens.redeemed());
            family("clf_bootstrap_tokens_revoked_total", "counter",
                    "Unused bootstrap tokens burned because their spawn failed or was canceled.");
            sample("clf_bootstrap_tokens_revoked_total", tokens.revoked());
            family("clf_bootstrap_tokens_refused_total", "counter",
                    "Redemptions that got nothing, by reason: invalid, expired, used, missing_secrets, rejected.");
            tokens.refused().forEach((reason, count) ->
                    sample("clf_bootstrap_tokens_refused_total", count, "reason", reason));
            family("clf_bootstrap_tokens_expired_unused", "gauge",
                    "Bootstrap tokens in the token file that expired without being redeemed or revoked, until pruned.");
            sample("clf_bootstrap_tokens_expired_unused", tokens.expiredUnused());
        }

        StatusReport.Hetzner hetzner = cattle.hetzner();
        family("clf_hetzner_requests_total", "counter",
                "Hetzner API requests answered, by status class and code; retries count each time.");
        for (Map.Entry<Integer, Long> answer : hetzner.answers().entrySet()) {
            int code = answer.getKey();
            sample("clf_hetzner_requests_total", answer.getValue(), "class", (code / 100) + "xx",
                    "code", String.valueOf(code));
        }
        family("clf_hetzner_transport_failures_total", "counter",
                "Hetzner API requests that got no answer (timeout, refused, reset).");
        sample("clf_hetzner_transport_failures_total", hetzner.transportFailures());
        if (hetzner.rateLimitLimit() != null) {
            family("clf_hetzner_ratelimit_limit", "gauge",
                    "Requests per hour the Hetzner API allows (RateLimit-Limit of the last answer).");
            sample("clf_hetzner_ratelimit_limit", hetzner.rateLimitLimit());
        }
        if (hetzner.rateLimitRemaining() != null) {
            family("clf_hetzner_ratelimit_remaining", "gauge",
                    "Requests left in the Hetzner API budget (RateLimit-Remaining of the last answer).");
            sample("clf_hetzner_ratelimit_remaining", hetzner.rateLimitRemaining());
        }
        if (hetzner.rateLimitReset() != null) {
            family("clf_hetzner_ratelimit_reset_timestamp_seconds", "gauge",
                    "When the Hetzner API budget is full again, in Unix seconds (RateLimit-Reset of the last answer).");
            sample("clf_hetzner_ratelimit_reset_timestamp_seconds", hetzner.rateLimitReset().getEpochSecond());
        }
    }

    // ------------------------------------------------------------------ the format

    private void family(String name, String type, String help) {
        if (!METRIC_NAME.matcher(name).matches() || !families.add(name)) {
            throw new IllegalStateException("metric family named twice or badly: " + name);
        }
        text.append("# HELP ").append(name).append(' ').append(escapeHelp(help)).append('\n');
        text.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    /** One sample line; {@code labels} are name, value, name, value … */
    private void sample(String name, double value, String... labels) {
        text.append(name);
        if (labels.length > 0) {
            text.append('{');
            for (int i = 0; i < labels.length; i += 2) {
                if (!LABEL_NAME.matcher(labels[i]).matches()) {
                    throw new IllegalStateException("bad label name: " + labels[i]);
                }
                text.append(i == 0 ? "" : ",").append(labels[i]).append("=\"").append(escapeLabelValue(labels[i + 1]))
                        .append('"');
            }
            text.append('}');
        }
        text.append(' ').append(number(value)).append('\n');
    }

    private void histogram(String name, Histogram histogram, String... labels) {
        List<Double> bounds = histogram.bounds();
        for (int i = 0; i <= bounds.size(); i++) {
            String le = i < bounds.size() ? number(bounds.get(i)) : "+Inf";
            sample(name + "_bucket", histogram.counts().get(i), with(labels, "le", le));
        }
        sample(name + "_sum", histogram.sum(), labels);
        sample(name + "_count", histogram.count(), labels);
    }

    private static String[] with(String[] labels, String name, String value) {
        String[] all = Arrays.copyOf(labels, labels.length + 2);
        all[labels.length] = name;
        all[labels.length + 1] = value;
        return all;
    }

    /**
     * A sample value as Go's ParseFloat reads it, in plain decimals (no exponent) so that people
     * read it too: whole numbers without a fraction, {@code +Inf}, {@code -Inf}, {@code NaN}.
     */
    static String number(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        BigDecimal exact = BigDecimal.valueOf(value).stripTrailingZeros(); // the shortest decimal of the double
        return exact.scale() < 0 ? exact.setScale(0).toPlainString() : exact.toPlainString();
    }

    /** In HELP: backslash and line feed escaped. */
    static String escapeHelp(String help) {
        return help.replace("\\", "\\\\").replace("\n", "\\n");
    }

    /** In a label value: backslash, double quote and line feed escaped. */
    static String escapeLabelValue(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
