/** The Hetzner simulator's internals: state, routes, rendering, selectors and faults. Not API. */
package clf.hetzner.internal.sim;
