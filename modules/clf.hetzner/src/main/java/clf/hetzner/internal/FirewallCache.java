package clf.hetzner.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Firewall ids that a recent ensure confirmed, by firewall name. Unlike the reference (spec
 * §9.2.16) the owner clears it on any error, so a firewall deleted behind clf's back is looked up
 * again on the next ensure instead of being trusted for the rest of the TTL.
 */
public final class FirewallCache {
    private final Duration ttl;
    private final Map<String, Entry> entries = new HashMap<>();

    private record Entry(long id, Instant expires) {
    }

    public FirewallCache(Duration ttl) {
        this.ttl = ttl;
    }

    public synchronized OptionalLong get(String name, Instant now) {
        Entry entry = entries.get(name);
        if (entry == null || !now.isBefore(entry.expires())) {
            entries.remove(name);
            return OptionalLong.empty();
        }
        return OptionalLong.of(entry.id());
    }

    public synchronized void put(String name, long id, Instant now) {
        if (!ttl.isZero()) {
            entries.put(name, new Entry(id, now.plus(ttl)));
        }
    }

    public synchronized void clear() {
        entries.clear();
    }
}
