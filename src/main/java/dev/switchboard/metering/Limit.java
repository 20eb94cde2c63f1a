package dev.switchboard.metering;

import java.time.Duration;

/**
 * A token-bucket limit: {@code capacity} tokens, refilled evenly over {@code period}.
 *
 * @param name identifies the limit in bucket keys, headers and metrics (e.g. {@code global}, {@code tier-pro})
 */
public record Limit(String name, long capacity, Duration period) {

    public Limit {
        if (capacity <= 0 || period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("A limit needs a positive capacity and period: " + name);
        }
    }

    public static Limit perMinute(String name, long requests) {
        return new Limit(name, requests, Duration.ofMinutes(1));
    }

    public static Limit perSecond(String name, long requests) {
        return new Limit(name, requests, Duration.ofSeconds(1));
    }
}
