/**
 * Protocol v1 of the bot API, the one module that both the daemon ({@code clf.server}) and the
 * {@code clf} CLI read: wire records, error codes, job kinds, status names, limits and the
 * validation of requests and payloads. It depends on nothing but {@code java.base}, so a
 * {@code clf} start never resolves the daemon, its HTTP server or its store.
 */
module clf.protocol {
    exports clf.protocol;
}
