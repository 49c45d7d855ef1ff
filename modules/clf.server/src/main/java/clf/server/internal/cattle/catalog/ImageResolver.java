package clf.server.internal.cattle.catalog;

import clf.hetzner.HetznerClient;
import clf.hetzner.Image;
import clf.hetzner.ImageFilter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves {@code label:SELECTOR} to the newest available snapshot carrying those labels. The
 * answer is kept for at most {@link #TTL}, so a newly uploaded image is used within five minutes
 * without a restart, and a burst of spawns asks Hetzner once.
 */
final class ImageResolver {
    static final Duration TTL = Duration.ofMinutes(5);

    private final HetznerClient hetzner;
    private final Clock clock;
    private final Map<String, Resolved> cache = new ConcurrentHashMap<>();

    private record Resolved(Optional<Image> image, Instant at) {
    }

    ImageResolver(HetznerClient hetzner, Clock clock) {
        this.hetzner = hetzner;
        this.clock = clock;
    }

    /** The newest available snapshot matching {@code selector}; empty when none does. Throws when Hetzner fails. */
    Optional<Image> newest(String selector) {
        Instant now = clock.instant();
        Resolved cached = cache.get(selector);
        if (cached != null && now.isBefore(cached.at().plus(TTL)) && !now.isBefore(cached.at())) {
            return cached.image();
        }
        // Sorted here too: the answer's order is Hetzner's to keep, the choice of the newest is ours.
        Optional<Image> newest = hetzner.listImages(ImageFilter.newestSnapshots(selector)).stream()
                .filter(Image::available)
                .max(Comparator.comparing(Image::created).thenComparingLong(Image::id));
        cache.put(selector, new Resolved(newest, now));
        return newest;
    }
}
