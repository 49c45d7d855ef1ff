/**
 * Protocol v1 of the bot API: the one package that the daemon, the {@code clf} CLI and the
 * job queue (for its refusals) read. It holds the wire names, limits, job kinds and the validation of requests and
 * payloads, so that the CLI can refuse bad input before sending it and the daemon refuses it
 * with the same words. Nothing here depends on the HTTP server.
 */
package clf.protocol;
