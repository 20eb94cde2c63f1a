package dev.switchboard.metering.internal;

import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.switchboard.metering.Limit;
import dev.switchboard.metering.RateDecision;
import io.github.bucket4j.ConsumptionProbe;

final class RateDecisions {

    private static final long NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);

    private RateDecisions() {
    }

    static RateDecision of(Limit limit, ConsumptionProbe probe) {
        long reset = seconds(probe.getNanosToWaitForReset());
        long retry = probe.isConsumed() ? 0 : Math.max(1, seconds(probe.getNanosToWaitForRefill()));
        return new RateDecision(probe.isConsumed(), limit, probe.getRemainingTokens(), reset, retry);
    }

    /**
     * The decision of a bucket holding {@code level} tokens (fractions count towards refill times) after
     * {@code tokens} were taken ({@code allowed}) or refused.
     */
    static RateDecision of(Limit limit, boolean allowed, double level, long tokens) {
        long remaining = (long) Math.floor(level);
        long reset = seconds(nanosToRefill(limit, limit.capacity() - level));
        long retry = allowed ? 0 : Math.max(1, seconds(nanosToRefill(limit, tokens - level)));
        return new RateDecision(allowed, limit, remaining, reset, retry);
    }

    private static long nanosToRefill(Limit limit, double missing) {
        return missing <= 0 ? 0 : (long) Math.ceil(missing * limit.period().toNanos() / limit.capacity());
    }

    /**
     * The decision of the bucket closest to refusal, which the {@code RateLimit-*} headers report: of the refusing
     * buckets the one that needs the longest wait, else the one with the fewest tokens left.
     */
    static RateDecision closestToRefusal(List<RateDecision> decisions) {
        List<RateDecision> refused = decisions.stream().filter(d -> !d.allowed()).toList();
        if (!refused.isEmpty()) {
            return refused.stream().max(Comparator.comparingLong(RateDecision::retryAfterSeconds)).orElseThrow();
        }
        return decisions.stream().min(Comparator.comparingLong(RateDecision::remaining)).orElseThrow();
    }

    private static long seconds(long nanos) {
        return (nanos + NANOS_PER_SECOND - 1) / NANOS_PER_SECOND;
    }
}
