package clf.protocol;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The answer of {@code GET /v1/status}: the daemon's health and its key figures at one moment.
 * The daemon gathers one of these per request and renders it both as this JSON and as the
 * Prometheus text of {@code GET /metrics}, so the two never disagree. Nothing in it names a
 * requester, a job or a secret.
 *
 * @param version         the daemon's name and version, {@code clf-orchestrator 1.0.0}
 * @param at              when the figures were gathered
 * @param jobs            null when the job store could not be read (see {@link Health#DATABASE})
 * @param claimLatency    seconds from a job becoming runnable ({@code max(createdAt, runAt)}) to
 *                        a worker claiming it, per kind; counted since the daemon started
 * @param handlerDuration seconds a handler ran, per kind and outcome; counted since the daemon started
 * @param cattle          null when cattle is disabled
 * @param store           which database holds the jobs and how its last ping went; null from a
 *                        daemon older than issue 15
 */
public record StatusReport(
        String version,
        Instant startedAt,
        Instant at,
        Health health,
        Jobs jobs,
        Workers workers,
        List<Timing> claimLatency,
        List<Timing> handlerDuration,
        Cattle cattle,
        Store store) {

    public StatusReport {
        claimLatency = List.copyOf(claimLatency);
        handlerDuration = List.copyOf(handlerDuration);
    }

    /** A report that does not say which store is in use (as before issue 15). */
    public StatusReport(String version, Instant startedAt, Instant at, Health health, Jobs jobs, Workers workers,
            List<Timing> claimLatency, List<Timing> handlerDuration, Cattle cattle) {
        this(version, startedAt, at, health, jobs, workers, claimLatency, handlerDuration, cattle, null);
    }

    /**
     * The database behind the daemon's stores. Whether it answers is the {@link Health#DATABASE}
     * check (with the error when it does not); this says which one it is.
     *
     * @param engine      {@code SQLite} (one host's files) or {@code PostgreSQL} (a fleet's shared store)
     * @param location    the file, or the server and database; never a password
     * @param pingSeconds how long the health check's query took; null when it got no answer
     */
    public record Store(String engine, String location, Double pingSeconds) {
    }

    /**
     * The job store's figures.
     *
     * @param counts              jobs per kind and status; combinations without jobs are left out
     * @param runnable            queued jobs whose runAt has come: waiting for a worker now
     * @param oldestRunnableSince when the longest-waiting runnable job became runnable; null if none
     */
    public record Jobs(List<Count> counts, long runnable, Instant oldestRunnableSince) {
        public Jobs {
            counts = List.copyOf(counts);
        }

        public long total(WireStatus status) {
            return counts.stream().filter(count -> count.status() == status).mapToLong(Count::jobs).sum();
        }

        /** How long the longest-waiting runnable job has waited at {@code at}; empty if none waits. */
        public Optional<Duration> oldestRunnableAge(Instant at) {
            if (oldestRunnableSince == null) {
                return Optional.empty();
            }
            Duration age = Duration.between(oldestRunnableSince, at);
            return Optional.of(age.isNegative() ? Duration.ZERO : age);
        }
    }

    /** How many jobs of one kind are in one status. */
    public record Count(String kind, WireStatus status, long jobs) {
    }

    /**
     * This daemon's worker threads.
     *
     * @param configured threads there should be ({@code CLF_WORKER_CONCURRENCY})
     * @param alive      threads running
     * @param busy       threads running a job
     * @param stuck      threads still running a job whose lease ran out or was lost
     * @param kinds      the job kinds this daemon runs
     */
    public record Workers(int configured, int alive, int busy, int stuck, List<String> kinds) {
        public Workers {
            kinds = List.copyOf(kinds);
        }
    }

    /** Observations in seconds of one kind (and, for handler durations, one outcome; else null). */
    public record Timing(String kind, String outcome, Histogram seconds) {
    }

    /**
     * The cattle side.
     *
     * @param servers      servers held against the limit, live or being created, by every
     *                     process sharing the capacity store (this host's file, or the fleet's
     *                     PostgreSQL); null when it could not be read
     * @param maxInstances {@code CLF_CATTLE_MAX_INSTANCES}
     * @param tokens       null when the token file could not be read
     */
    public record Cattle(Integer servers, int maxInstances, Tokens tokens, Hetzner hetzner) {
    }

    /**
     * Bootstrap tokens: counters since the daemon started, and {@code expiredUnused} from the
     * token file (tokens that expired without being redeemed or revoked, until pruned).
     *
     * @param refused redemptions that got nothing, by reason: {@code invalid}, {@code expired},
     *                {@code used}, {@code missing_secrets}, {@code rejected}
     */
    public record Tokens(long issued, long redeemed, long revoked, Map<String, Long> refused, long expiredUnused) {
        public Tokens {
            refused = Collections.unmodifiableMap(new LinkedHashMap<>(refused));
        }

        public long refusedTotal() {
            return refused.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /**
     * The Hetzner API as this daemon's client saw it since it started.
     *
     * @param answers            answered requests by HTTP status code
     * @param transportFailures  requests that got no answer
     * @param rateLimitLimit     requests per hour, from the last answer's {@code RateLimit-Limit}; null before any
     * @param rateLimitRemaining from the last answer's {@code RateLimit-Remaining}; null before any
     * @param rateLimitReset     when the budget is full again ({@code RateLimit-Reset}); null before any
     */
    public record Hetzner(Map<Integer, Long> answers, long transportFailures, Long rateLimitLimit,
            Long rateLimitRemaining, Instant rateLimitReset) {
        public Hetzner {
            answers = Collections.unmodifiableMap(new TreeMap<>(answers));
        }

        public long requests() {
            return answers.values().stream().mapToLong(Long::longValue).sum() + transportFailures;
        }

        /** Answers with a status from {@code lowest} to {@code highest}. */
        public long answered(int lowest, int highest) {
            return answers.entrySet().stream()
                    .filter(answer -> answer.getKey() >= lowest && answer.getKey() <= highest)
                    .mapToLong(Map.Entry::getValue).sum();
        }
    }

    // ------------------------------------------------------------------ JSON

    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("protocolVersion", Protocol.VERSION);
        json.put("version", version);
        json.put("startedAt", WireTime.format(startedAt));
        json.put("at", WireTime.format(at));
        json.put("health", health.toJson());
        json.put("jobs", jobs == null ? null : jobsJson(jobs));
        Map<String, Object> threads = new LinkedHashMap<>();
        threads.put("configured", workers.configured());
        threads.put("alive", workers.alive());
        threads.put("busy", workers.busy());
        threads.put("stuck", workers.stuck());
        threads.put("kinds", workers.kinds());
        json.put("workers", threads);
        json.put("claimLatencySeconds", timingsJson(claimLatency));
        json.put("handlerDurationSeconds", timingsJson(handlerDuration));
        json.put("cattle", cattle == null ? null : cattleJson(cattle));
        if (store != null) {
            Map<String, Object> where = new LinkedHashMap<>();
            where.put("engine", store.engine());
            where.put("location", store.location());
            where.put("pingSeconds", store.pingSeconds());
            json.put("store", where);
        }
        return json;
    }

    private static Map<String, Object> jobsJson(Jobs jobs) {
        List<Map<String, Object>> counts = new ArrayList<>();
        for (Count count : jobs.counts()) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("kind", count.kind());
            one.put("status", count.status().wireName());
            one.put("jobs", count.jobs());
            counts.add(one);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("counts", counts);
        json.put("queued", jobs.total(WireStatus.QUEUED));
        json.put("runnable", jobs.runnable());
        json.put("oldestRunnableSince",
                jobs.oldestRunnableSince() == null ? null : WireTime.format(jobs.oldestRunnableSince()));
        return json;
    }

    private static List<Map<String, Object>> timingsJson(List<Timing> timings) {
        List<Map<String, Object>> json = new ArrayList<>();
        for (Timing timing : timings) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("kind", timing.kind());
            if (timing.outcome() != null) {
                one.put("outcome", timing.outcome());
            }
            one.put("histogram", timing.seconds().toJson());
            json.add(one);
        }
        return json;
    }

    private static Map<String, Object> cattleJson(Cattle cattle) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("servers", cattle.servers());
        json.put("maxInstances", cattle.maxInstances());
        Tokens tokens = cattle.tokens();
        if (tokens == null) {
            json.put("tokens", null);
        } else {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("issued", tokens.issued());
            t.put("redeemed", tokens.redeemed());
            t.put("revoked", tokens.revoked());
            t.put("refused", tokens.refused());
            t.put("expiredUnused", tokens.expiredUnused());
            json.put("tokens", t);
        }
        Hetzner hetzner = cattle.hetzner();
        Map<String, Object> h = new LinkedHashMap<>();
        Map<String, Object> answers = new LinkedHashMap<>();
        hetzner.answers().forEach((status, count) -> answers.put(String.valueOf(status), count));
        h.put("answers", answers);
        h.put("transportFailures", hetzner.transportFailures());
        h.put("rateLimitLimit", hetzner.rateLimitLimit());
        h.put("rateLimitRemaining", hetzner.rateLimitRemaining());
        h.put("rateLimitReset", hetzner.rateLimitReset() == null ? null : WireTime.format(hetzner.rateLimitReset()));
        json.put("hetzner", h);
        return json;
    }

    /** Reads {@link #toJson()}'s form (the CLI); members it does not know are ignored. */
    public static StatusReport fromJson(Object body) {
        JsonFields fields = JsonFields.of(body, "");
        JsonFields jobs = fields.objectOrNull("jobs");
        JsonFields workers = fields.object("workers");
        JsonFields cattle = fields.objectOrNull("cattle");
        JsonFields store = fields.objectOrNull("store");
        return new StatusReport(
                fields.requiredString("version"),
                time(fields, "startedAt"),
                time(fields, "at"),
                Health.fromJson(fields.object("health")),
                jobs == null ? null : jobsFrom(jobs),
                new Workers(whole(workers, "configured"), whole(workers, "alive"), whole(workers, "busy"),
                        whole(workers, "stuck"), strings(workers, "kinds")),
                timingsFrom(fields, "claimLatencySeconds"),
                timingsFrom(fields, "handlerDurationSeconds"),
                cattle == null ? null : cattleFrom(cattle),
                store == null ? null : new Store(store.requiredString("engine"), store.requiredString("location"),
                        store.number("pingSeconds", null)));
    }

    private static Jobs jobsFrom(JsonFields jobs) {
        List<Count> counts = new ArrayList<>();
        for (Object item : jobs.list("counts")) {
            JsonFields count = JsonFields.of(item, jobs.field("counts[]"));
            counts.add(new Count(count.requiredString("kind"),
                    WireStatus.parse(count.field("status"), count.requiredString("status")), count(count, "jobs")));
        }
        String oldest = jobs.string("oldestRunnableSince", null);
        return new Jobs(counts, count(jobs, "runnable"),
                oldest == null ? null : WireTime.parse(jobs.field("oldestRunnableSince"), oldest));
    }

    private static List<Timing> timingsFrom(JsonFields fields, String name) {
        List<Timing> timings = new ArrayList<>();
        for (Object item : fields.list(name)) {
            JsonFields timing = JsonFields.of(item, fields.field(name + "[]"));
            timings.add(new Timing(timing.requiredString("kind"), timing.string("outcome", null),
                    Histogram.fromJson(timing.object("histogram"))));
        }
        return timings;
    }

    private static Cattle cattleFrom(JsonFields cattle) {
        JsonFields tokens = cattle.objectOrNull("tokens");
        Tokens parsedTokens = null;
        if (tokens != null) {
            JsonFields refusedFields = tokens.object("refused");
            Map<String, Long> refused = new LinkedHashMap<>();
            for (String reason : refusedFields.names()) {
                refused.put(reason, count(refusedFields, reason));
            }
            parsedTokens = new Tokens(count(tokens, "issued"), count(tokens, "redeemed"), count(tokens, "revoked"),
                    refused, count(tokens, "expiredUnused"));
        }
        JsonFields hetzner = cattle.object("hetzner");
        JsonFields answerFields = hetzner.object("answers");
        Map<Integer, Long> answers = new TreeMap<>();
        for (String status : answerFields.names()) {
            if (!status.matches("\\d{3}")) {
                throw new InvalidInputException(answerFields.field(status), "an HTTP status code", status);
            }
            answers.put(Integer.parseInt(status), count(answerFields, status));
        }
        String reset = hetzner.string("rateLimitReset", null);
        Long servers = cattle.longValue("servers", null);
        return new Cattle(servers == null ? null : Math.toIntExact(servers), whole(cattle, "maxInstances"),
                parsedTokens,
                new Hetzner(answers, count(hetzner, "transportFailures"), hetzner.longValue("rateLimitLimit", null),
                        hetzner.longValue("rateLimitRemaining", null),
                        reset == null ? null : WireTime.parse(hetzner.field("rateLimitReset"), reset)));
    }

    private static Instant time(JsonFields fields, String name) {
        return WireTime.parse(fields.field(name), fields.requiredString(name));
    }

    private static long count(JsonFields fields, String name) {
        Long value = fields.longValue(name, null);
        if (value == null || value < 0) {
            throw new InvalidInputException(fields.field(name), "a whole number of 0 or more", value);
        }
        return value;
    }

    private static int whole(JsonFields fields, String name) {
        Integer value = fields.integer(name, null);
        if (value == null || value < 0) {
            throw new InvalidInputException(fields.field(name), "a whole number of 0 or more", value);
        }
        return value;
    }

    private static List<String> strings(JsonFields fields, String name) {
        List<String> strings = new ArrayList<>();
        for (Object item : fields.list(name)) {
            if (!(item instanceof String text)) {
                throw new InvalidInputException(fields.field(name), "strings", JsonFields.shown(item));
            }
            strings.add(text);
        }
        return strings;
    }
}
