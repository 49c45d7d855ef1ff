package clf.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Many callers at the same moment: each runs on its own thread, all held at one gate and let go
 * together, so a check-then-act race in the code under test gets every chance to show.
 */
public final class Race {
    /** One caller: its index (0 to n-1) in, one outcome out. */
    @FunctionalInterface
    public interface Caller<T> {
        T call(int index) throws Exception;
    }

    private Race() {
    }

    /** Runs {@code n} callers at once; how often each outcome came back, in the outcomes' order. */
    public static <T extends Comparable<T>> Map<T, Integer> count(int n, Caller<T> caller) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<T>> calls = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                calls.add(pool.submit(() -> {
                    go.await();
                    return caller.call(index);
                }));
            }
            go.countDown();
            Map<T, Integer> outcomes = new TreeMap<>();
            for (Future<T> call : calls) {
                outcomes.merge(call.get(), 1, Integer::sum);
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
        }
    }
}
