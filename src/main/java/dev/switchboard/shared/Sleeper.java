package dev.switchboard.shared;

import java.time.Duration;

/**
 * How code that backs off lets time pass. The application's bean is {@link #THREAD}; tests put in one that
 * records the waits and returns at once, so a back-off is asserted on rather than sat through.
 */
@FunctionalInterface
public interface Sleeper {

    /** The current thread sleeps. */
    Sleeper THREAD = Thread::sleep;

    /**
     * Returns after {@code duration} (at once for zero or less).
     *
     * @throws InterruptedException when the thread is interrupted while waiting
     */
    void sleep(Duration duration) throws InterruptedException;
}
