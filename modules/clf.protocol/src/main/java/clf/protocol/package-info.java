/**
 * Protocol v1 of the bot API: the one package that both the daemon and the {@code clf} CLI
 * read. It holds the wire names, limits, job kinds and the validation of requests and
 * payloads, so that the CLI can refuse bad input before sending it and the daemon refuses it
 * with the same words. Nothing here depends on the HTTP server.
 */
package clf.protocol;
