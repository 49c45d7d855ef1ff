package clf.cli;

import java.time.Duration;

/** A monotonic clock that can be slept on; tests use one that only advances when slept on. */
interface Ticker {
    Ticker SYSTEM = new Ticker() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void sleep(Duration duration) throws InterruptedException {
            Thread.sleep(duration.toMillis());
        }
    };

    long nanoTime();

    void sleep(Duration duration) throws InterruptedException;
}
