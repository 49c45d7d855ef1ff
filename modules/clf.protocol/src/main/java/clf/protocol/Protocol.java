package clf.protocol;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Constants of protocol v1: version, paths, limits. */
public final class Protocol {
    /** Sent as {@code protocolVersion} in every request body and every response but /healthz. */
    public static final int VERSION = 1;
    public static final String DEFAULT_SOCKET_PATH = "/run/clf/orchestrator.sock";
    /** Largest request body the daemon reads. */
    public static final int MAX_REQUEST_BYTES = 256 * 1024;
    /** Largest response body the CLI accepts. */
    public static final int MAX_RESPONSE_BYTES = 1024 * 1024;

    /**
     * Shortest job id prefix the daemon resolves to a job ({@code GET /v1/jobs/<prefix>}): the 8
     * characters {@code clf jobs list} shows. The queue's own limit is the same by a test.
     */
    public static final int MIN_ID_PREFIX = 8;

    public static final String HEALTH = "/healthz";
    /** Health and key figures as JSON ({@link StatusReport}). */
    public static final String STATUS = "/v1/status";
    /** The same figures in the Prometheus text format. */
    public static final String METRICS = "/metrics";
    public static final String METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    public static final String ENQUEUE = "/v1/jobs/enqueue";
    public static final String JOBS = "/v1/jobs";
    /** Cattle listener: a VM trades its one-time bootstrap token for its env ({@link CattleEnvAnswer}). */
    public static final String CATTLE_ENV = "/v1/cattle/env";
    /** Cattle listener: the VM's agent reports its task ({@link TaskReport}) with its report credential. */
    public static final String CATTLE_TASK = "/v1/cattle/task";

    private Protocol() {
    }

    /** {@code /v1/jobs/<id>}, the id percent-encoded. */
    public static String jobPath(String jobId) {
        return JOBS + "/" + encode(jobId);
    }

    public static String cancelPath(String jobId) {
        return jobPath(jobId) + "/cancel";
    }

    public static String eventsPath(String jobId) {
        return jobPath(jobId) + "/events";
    }

    /** Percent-encodes a path segment or query value (spaces as %20, not +). */
    public static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
