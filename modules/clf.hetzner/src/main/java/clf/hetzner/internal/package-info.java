/** The client's machinery: HTTP with retries, JSON mapping, pagination, rule comparison. Not API. */
package clf.hetzner.internal;
