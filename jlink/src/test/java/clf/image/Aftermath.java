package clf.image;

import clf.hetzner.sim.SimServer;
import clf.queue.Job;
import clf.queue.JobEvent;
import clf.queue.JobPage;
import clf.queue.JobQuery;
import clf.queue.JobStatus;
import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What a fault-proof run settled into, and the invariants it must satisfy: read from the job
 * store (jobs and their events, as a second process on the daemon's SQLite file), the capacity
 * file, and the harness's own {@link ServerLedger} of every server Hetzner made. Each check adds
 * its count to the report and every violation with its evidence.
 */
final class Aftermath {
    /** A job's failure must name what happened; these are the conditions clf reports. */
    private static final Pattern NAMED_CONDITION = Pattern.compile(
            "HTTP [45]\\d\\d|timed out|network error|rate limited|lease of worker \\S+ expired|max instances"
            + "|disappeared while booting|is gone \\(deleted after its TTL|TTL of \\w+ ran out");
    /** Traces and class names do not belong in what a bot reads. */
    private static final Pattern TRACE = Pattern.compile(
            "\n|\tat |Caused by|\\b(java|javax|jdk|clf|io|org|com)\\.[a-z]+\\.[A-Za-z]");
    private static final Pattern VARIABLE_PARTS = Pattern.compile(
            "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|clf-[A-Za-z0-9.-]+-\\d+-\\d+"
            + "|cattle-[a-z0-9-]+-[0-9a-f]{8}\\b|(?<!HTTP )(?<!\\d)\\d+");

    private final CattleHost host;
    private final ServerLedger ledger;
    private final ProofReport report;

    Aftermath(CattleHost host, ServerLedger ledger, ProofReport report) {
        this.host = host;
        this.ledger = ledger;
        this.report = report;
    }

    /**
     * Waits until no job is queued or running; the time it took in ms, or -1 if {@code timeout}
     * passed first.
     */
    long awaitJobsEnded(Duration timeout) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (unfinished().isEmpty()) {
                return (System.nanoTime() - start) / 1_000_000;
            }
            Thread.sleep(200);
        }
        return -1;
    }

    /** Waits until Hetzner lists no server; ms it took, or -1 on timeout. */
    long awaitNoServers(Duration timeout) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (host.sim.servers().isEmpty()) {
                return (System.nanoTime() - start) / 1_000_000;
            }
            Thread.sleep(200);
        }
        return -1;
    }

    private List<Job> unfinished() {
        return jobs(JobQuery.all().withStatuses(java.util.Set.of(JobStatus.QUEUED, JobStatus.RUNNING)));
    }

    List<Job> allJobs() {
        return jobs(JobQuery.all());
    }

    private List<Job> jobs(JobQuery query) {
        List<Job> jobs = new ArrayList<>();
        JobQuery page = query.withLimit(JobQuery.MAX_LIMIT);
        while (true) {
            JobPage result = host.store().list(page);
            jobs.addAll(result.jobs());
            if (result.nextCursor() == null) {
                return jobs;
            }
            page = page.after(result.nextCursor());
        }
    }

    /**
     * Every invariant over the settled state.
     *
     * @param accepted every enqueue the daemon answered 200
     * @param secrets  texts that must appear in no job, event or log line
     */
    void check(Collection<RetryingBot.Enqueued> accepted, List<String> secrets, String logs) throws IOException {
        List<Job> jobs = allJobs();
        Map<String, Job> byId = new HashMap<>();
        jobs.forEach(job -> byId.put(job.id(), job));
        Map<String, List<JobEvent>> events = new HashMap<>();
        for (Job job : jobs) {
            events.put(job.id(), host.store().events(job.id()));
        }
        List<String> allSecrets = new ArrayList<>(secrets);
        ledger.entries().forEach(entry -> allSecrets.add(tokenOf(entry.server)));

        countJobs(jobs, events);
        checkAccepted(accepted, byId);
        checkKeys(accepted, jobs);
        checkCompletions(jobs, events);
        checkServers(jobs, byId);
        checkReasons(jobs, events);
        checkSecrets(jobs, events, allSecrets, logs);
        checkCapacity();
    }

    private void countJobs(List<Job> jobs, Map<String, List<JobEvent>> events) {
        report.figure("jobs in store", jobs.size());
        for (String kind : List.of("cattle.spawn", "cattle.reap")) {
            Map<JobStatus, Long> statuses = jobs.stream().filter(job -> job.kind().equals(kind))
                    .collect(Collectors.groupingBy(Job::status, TreeMap::new, Collectors.counting()));
            report.figure(kind + " by status", statuses.toString().toLowerCase(java.util.Locale.ROOT));
        }
        report.figure("leases taken back from killed workers", countEvents(events, JobEvent.RECLAIM));
        report.figure("retries after a failed attempt", countEvents(events, JobEvent.RETRY));
        report.figure("servers adopted from an earlier attempt", countEvents(events, "cattle.server-adopted"));
        topShapes("failure reason", jobs.stream().filter(job -> job.status() == JobStatus.FAILED)
                .map(job -> job.kind() + ": " + shape(job.lastError())).toList());
        List<String> retried = new ArrayList<>();
        for (Job job : jobs) {
            events.get(job.id()).stream().filter(event -> event.type().equals(JobEvent.RETRY))
                    .forEach(event -> retried.add(job.kind() + ": " + shape(event.message())));
        }
        topShapes("retried attempt's reason", retried);
    }

    /** The eight most frequent of {@code shapes}, most frequent first, as figures "NAME 1" … */
    private void topShapes(String name, List<String> shapes) {
        Map<String, Long> counts = shapes.stream().collect(Collectors.groupingBy(shape -> shape, Collectors.counting()));
        List<Map.Entry<String, Long>> top = counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(8).toList();
        for (int i = 0; i < top.size(); i++) {
            report.figure(name + " " + (i + 1), top.get(i).getValue() + " x " + top.get(i).getKey());
        }
    }

    private static long countEvents(Map<String, List<JobEvent>> events, String type) {
        return events.values().stream().flatMap(List::stream).filter(event -> event.type().equals(type)).count();
    }

    /** The reason with ids, names and numbers (but HTTP statuses) replaced, so alike failures group. */
    static String shape(String reason) {
        String text = VARIABLE_PARTS.matcher(reason).replaceAll("#");
        return text.length() > 160 ? text.substring(0, 160) + "…" : text;
    }

    /** Lost: an enqueue answered 200 whose job is missing, or never ended. */
    private void checkAccepted(Collection<RetryingBot.Enqueued> accepted, Map<String, Job> byId) {
        for (RetryingBot.Enqueued enqueued : accepted) {
            Job job = byId.get(enqueued.jobId());
            if (job == null) {
                report.broken("jobs lost", "accepted " + enqueued + " is not in the store");
            } else if (!job.status().isTerminal()) {
                report.broken("jobs lost", "accepted " + enqueued + " never ended: " + job);
            }
        }
        for (Job job : byId.values()) {
            if (!job.status().isTerminal()) {
                report.broken("jobs stuck", job.id() + " " + job.kind() + " still " + job.status().wireName()
                        + " (attempt " + job.attempt() + "/" + job.maxAttempts() + ", runAt " + job.runAt() + ", "
                        + job.lastError() + ")");
            }
        }
        report.invariant("jobs lost");
        report.invariant("jobs stuck");
    }

    /** One job per (requester, key), and every answer for a key named that job. */
    private void checkKeys(Collection<RetryingBot.Enqueued> accepted, List<Job> jobs) {
        Map<String, List<String>> jobsByKey = new HashMap<>();
        for (Job job : jobs) {
            if (job.idempotencyKey() != null) {
                jobsByKey.computeIfAbsent(job.requester() + "/" + job.idempotencyKey(), k -> new ArrayList<>())
                        .add(job.id());
            }
        }
        jobsByKey.forEach((key, ids) -> {
            if (ids.size() > 1) {
                report.broken("idempotency keys with two jobs", key + ": " + ids);
            }
        });
        for (RetryingBot.Enqueued enqueued : accepted) {
            if (enqueued.key() != null) {
                List<String> ids = jobsByKey.getOrDefault(enqueued.requester() + "/" + enqueued.key(), List.of());
                if (!ids.equals(List.of(enqueued.jobId()))) {
                    report.broken("idempotency keys with two jobs", "key " + enqueued.key() + " answered "
                            + enqueued.jobId() + " but the store has " + ids);
                }
            }
        }
        report.invariant("idempotency keys with two jobs");
    }

    /** Run twice to completion: more than one ack, or more than one ending, for one job. */
    private void checkCompletions(List<Job> jobs, Map<String, List<JobEvent>> events) {
        for (Job job : jobs) {
            List<JobEvent> history = events.get(job.id());
            long acks = history.stream().filter(e -> e.type().equals(JobEvent.ACK)).count();
            long endings = history.stream().filter(e -> e.type().equals(JobEvent.ACK) || e.type().equals(JobEvent.FAIL)
                    || e.type().equals(JobEvent.CANCEL)).count();
            if (acks > 1 || endings > 1) {
                report.broken("jobs completed twice", job.id() + " " + job.kind() + ": " + history.stream()
                        .map(e -> e.type() + "@" + e.attempt()).toList());
            }
            if (job.status().isTerminal() && endings == 0) {
                report.broken("jobs completed twice", job.id() + " ended " + job.status().wireName()
                        + " without an ending event: " + history.stream().map(JobEvent::type).toList());
            }
        }
        report.invariant("jobs completed twice");
    }

    /**
     * Hetzner's side: at most one server ever per spawn job, a done spawn names the server its
     * job made, and nothing is left once the run settled.
     */
    private void checkServers(List<Job> jobs, Map<String, Job> byId) throws IOException {
        Map<String, List<ServerLedger.Entry>> byJob = ledger.byJob();
        report.figure("servers created", ledger.entries().size());
        report.figure("servers deleted", ledger.entries().stream().filter(e -> e.deletedAt != null).count());
        byJob.forEach((jobId, servers) -> {
            if (servers.size() > 1) {
                Job job = byId.get(jobId);
                report.broken("duplicate servers", "job " + jobId + " made " + servers.size() + " servers "
                        + servers.stream().map(e -> e.server.id() + "@" + e.server.created()).toList()
                        + (job == null ? "" : "; job " + job.status().wireName() + " " + job.lastError()
                        + " events " + host.events(jobId)));
            }
        });
        report.invariant("duplicate servers");
        for (Job job : jobs) {
            if (job.kind().equals("cattle.spawn") && job.status() == JobStatus.DONE) {
                String serverId = String.valueOf(((Map<?, ?>) JSON.std.mapFrom(job.resultJson()).get("server")).get("id"));
                List<ServerLedger.Entry> made = byJob.getOrDefault(job.id(), List.of());
                if (made.stream().noneMatch(e -> Long.toString(e.server.id()).equals(serverId))) {
                    report.broken("done spawns without their server", "job " + job.id() + " names server " + serverId
                            + " but Hetzner made " + made.stream().map(e -> e.server.id()).toList());
                }
            }
        }
        report.invariant("done spawns without their server");
        for (SimServer server : host.sim.servers()) {
            report.broken("servers leaked", server + " (job " + byId.get(server.labels().get("clf-job-id")) + ")");
        }
        report.invariant("servers leaked");
        List<Long> overstays = new ArrayList<>(ledger.overstaysMs());
        overstays.sort(null);
        if (!overstays.isEmpty()) {
            report.figure("server life past its TTL, ms (p50 / p99 / max)", overstays.get(overstays.size() / 2) + " / "
                    + overstays.get((int) Math.min(overstays.size() - 1, Math.round(overstays.size() * 0.99)))
                    + " / " + overstays.get(overstays.size() - 1));
        }
    }

    /**
     * A failed job names the condition that failed it, and so does every failed attempt that was
     * retried and every per-server failure a reap reports; none carries a stack trace.
     */
    private void checkReasons(List<Job> jobs, Map<String, List<JobEvent>> events) throws IOException {
        for (Job job : jobs) {
            if (job.status() == JobStatus.FAILED) {
                checkReason(job, job.lastError());
            }
            for (JobEvent event : events.get(job.id())) {
                if (event.type().equals(JobEvent.RETRY)) {
                    checkReason(job, event.message());
                }
            }
            if (job.kind().equals("cattle.reap") && job.status() == JobStatus.DONE) {
                for (Object outcome : (List<?>) JSON.std.mapFrom(job.resultJson()).get("servers")) {
                    Map<?, ?> server = (Map<?, ?>) outcome;
                    if ("failed".equals(server.get("outcome"))) {
                        checkReason(job, String.valueOf(server.get("reason")));
                    }
                }
            }
        }
        report.invariant("unclear failure reasons");
    }

    private void checkReason(Job job, String reason) {
        if (reason == null || !NAMED_CONDITION.matcher(reason).find() || TRACE.matcher(reason).find()) {
            report.broken("unclear failure reasons", job.id() + " " + job.kind() + ": " + reason);
        }
    }

    private void checkSecrets(List<Job> jobs, Map<String, List<JobEvent>> events, List<String> secrets, String logs) {
        for (Job job : jobs) {
            StringBuilder text = new StringBuilder(job.lastError()).append('\n')
                    .append(job.resultJson() == null ? "" : job.resultJson());
            events.get(job.id()).forEach(event -> text.append('\n').append(event.message()));
            for (String secret : secrets) {
                if (text.indexOf(secret) >= 0) {
                    report.broken("secrets in jobs or logs", "job " + job.id() + " shows a secret of "
                            + secret.length() + " chars");
                }
            }
        }
        for (String secret : secrets) {
            if (logs.contains(secret)) {
                report.broken("secrets in jobs or logs", "a daemon log shows a secret of " + secret.length() + " chars");
            }
        }
        report.invariant("secrets in jobs or logs");
    }

    /** Capacity held for no server: a reservation left behind blocks spawns until it goes stale. */
    private void checkCapacity() {
        Path file = host.dir.resolve("state/capacity.sqlite");
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + file);
             ResultSet rows = db.createStatement().executeQuery("SELECT job_id, requester, reserved_at FROM spawn_slots")) {
            while (rows.next()) {
                String jobId = rows.getString(1);
                report.broken("capacity held after settling", "slot of job " + jobId + " (" + rows.getString(2)
                        + "): " + host.store().get(jobId).map(job -> job.status().wireName() + " " + job.lastError())
                        .orElse("no such job"));
            }
        } catch (SQLException e) {
            report.broken("capacity held after settling", "cannot read " + file + ": " + e.getMessage());
        }
        report.invariant("capacity held after settling");
    }

    private static String tokenOf(SimServer server) {
        try {
            return CattleRig.tokenOf(server);
        } catch (IOException e) {
            throw new IllegalStateException("unreadable user_data of " + server, e);
        }
    }
}
