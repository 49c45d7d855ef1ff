/**
 * Protocol v1 of the bot API, the one module that the daemon ({@code clf.server}), the
 * {@code clf} CLI and the job queue (for its refusals) read: wire records, error codes, job
 * kinds, status names, limits and the validation of requests and payloads. It depends on
 * nothing but {@code java.base}, so a {@code clf} start never resolves the daemon, its HTTP
 * server or its store.
 */
module clf.protocol {
    exports clf.protocol;
}
