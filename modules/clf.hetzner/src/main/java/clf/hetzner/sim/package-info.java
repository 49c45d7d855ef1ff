/**
 * A stateful simulator of the Hetzner Cloud API endpoints that {@link clf.hetzner.HetznerClient}
 * and Hetzner's own clients ({@code hcloud}, hcloud-python) use for clf's work — servers and their
 * actions, firewalls, and the catalogue of server types, images, locations and data centers —
 * served over HTTP on 127.0.0.1 for tests and the daemon's dev mode. Its answers follow the
 * API's OpenAPI description (the module's tests validate every exchange against it), and it can
 * inject the faults a real cloud API has: rate limits, 5xx, lost and slow answers.
 */
package clf.hetzner.sim;
