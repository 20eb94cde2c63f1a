package dev.switchboard.metering.internal;

import java.util.concurrent.TimeUnit;

import dev.switchboard.metering.Limit;
import dev.switchboard.metering.RateDecision;

import io.github.bucket4j.ConsumptionProbe;

final class RateDecisions {

    private RateDecisions() {
    }

    static RateDecision of(Limit limit, ConsumptionProbe probe) {
        long reset = seconds(probe.getNanosToWaitForReset());
        long retry = probe.isConsumed() ? 0 : Math.max(1, seconds(probe.getNanosToWaitForRefill()));
        return new RateDecision(probe.isConsumed(), limit, probe.getRemainingTokens(), reset, retry);
    }

    private static long seconds(long nanos) {
        return (nanos + TimeUnit.SECONDS.toNanos(1) - 1) / TimeUnit.SECONDS.toNanos(1);
    }
}
