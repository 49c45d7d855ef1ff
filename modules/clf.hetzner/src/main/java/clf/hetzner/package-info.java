/**
 * Client of the Hetzner Cloud API as clf uses it: servers (list, get, create with adoption of a
 * name conflict, delete), one managed firewall ({@link clf.hetzner.HetznerClient#ensureFirewall}) and the
 * catalog a configuration is checked against (server types, locations, images).
 *
 * <p>The contract is the OpenAPI description of the API (a copy lives in the module's test
 * resources, and every test validates both directions of every exchange against it). Faults are
 * handled inside the client: rate limits (429) are waited out as the {@code RateLimit-*} headers
 * say, 5xx answers and network errors are retried with capped exponential backoff, and every
 * remaining failure surfaces as a {@link clf.hetzner.HetznerException} whose text carries the
 * method, path, status and Hetzner's error code but never the token or the user_data.
 */
package clf.hetzner;
