package clf.protocol;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The answer of {@code GET /v1/cattle/env} on the cattle listener: v1's {@code ok} and
 * {@code env}, and (additive, for the agent {@code clf-cattle}) which server the token was
 * for, until when it may live, and the credential for reporting the task's outcome. A v1
 * image reads only {@code env} and ignores the rest.
 *
 * @param env    the secret environment, name → value
 * @param server the server the bootstrap token was issued for
 * @param report how to report the task's progress; null from a daemon without reports
 */
public record CattleEnvAnswer(Map<String, String> env, Server server, Report report) {
    public CattleEnvAnswer {
        // In the order given: v1 hands out the public settings first (Map.copyOf would shuffle them).
        env = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(env));
    }

    /**
     * The server the env is for.
     *
     * @param name      its Hetzner name (the tailnet host name it must have)
     * @param expiresAt its {@code expires-at} label: the reap deletes it then, task finished or not
     */
    public record Server(String name, Instant expiresAt) {
    }

    /**
     * The report credential: a secret bound to this server, valid until {@code expiresAt} (the
     * server's), stored by the daemon as a SHA-256 only. Sent as {@code Authorization: Bearer}.
     *
     * @param token     the credential
     * @param path      where to send reports, on the same listener: {@link Protocol#CATTLE_TASK}
     * @param expiresAt when the daemon stops accepting it
     */
    public record Report(String token, String path, Instant expiresAt) {
        @Override
        public String toString() {
            return "Report[token=(secret), path=" + path + ", expiresAt=" + expiresAt + "]";
        }
    }

    @Override
    public String toString() {
        return "CattleEnvAnswer[env=" + env.keySet() + " (values secret), server=" + server + ", report=" + report + "]";
    }

    public static CattleEnvAnswer fromJson(Object body) {
        JsonFields fields = JsonFields.of(body, "");
        JsonFields envFields = fields.object("env");
        Map<String, String> env = new LinkedHashMap<>();
        for (String name : envFields.names()) {
            env.put(name, envFields.requiredString(name));
        }
        JsonFields serverFields = fields.objectOrNull("server");
        Server server = serverFields == null ? null : new Server(serverFields.requiredString("name"),
                WireTime.parse(serverFields.field("expiresAt"), serverFields.requiredString("expiresAt")));
        JsonFields reportFields = fields.objectOrNull("report");
        Report report = reportFields == null ? null : new Report(reportFields.requiredString("token"),
                reportFields.requiredString("path"),
                WireTime.parse(reportFields.field("expiresAt"), reportFields.requiredString("expiresAt")));
        return new CattleEnvAnswer(env, server, report);
    }

    /** The answer's body, {@code ok} first as v1 wrote it. */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("ok", true);
        json.put("env", new LinkedHashMap<>(env));
        if (server != null) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("name", server.name());
            s.put("expiresAt", WireTime.format(server.expiresAt()));
            json.put("server", s);
        }
        if (report != null) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("token", report.token());
            r.put("path", report.path());
            r.put("expiresAt", WireTime.format(report.expiresAt()));
            json.put("report", r);
        }
        return json;
    }
}
