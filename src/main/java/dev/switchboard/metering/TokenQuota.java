package dev.switchboard.metering;

import java.time.Duration;
import java.util.Optional;

import dev.switchboard.identity.Caller;

/**
 * Daily LLM token quotas per key (or per user for sessions), by tier. A model call first reserves its worst
 * case (prompt plus max output tokens); concurrent calls therefore cannot overspend. Afterwards it settles the
 * actual count: what was reserved and not used goes back, and a call that used more than reserved is charged
 * the difference.
 */
public interface TokenQuota {

    /** A reservation to settle once the call has finished. */
    record Reservation(String bucketKey, Limit limit, long reserved) {
    }

    /** Reserves tokens, or returns the refusal (with when to retry) when the quota has not enough left. */
    Result reserve(Caller caller, long tokens);

    /** Settles a reservation with the tokens actually used. */
    void settle(Reservation reservation, long usedTokens);

    /** The outcome of a reservation. */
    record Result(Optional<Reservation> reservation, RateDecision decision) {

        public boolean granted() {
            return reservation.isPresent();
        }
    }

    /** The quota period: tokens per day refill evenly over a day. */
    Duration PERIOD = Duration.ofDays(1);
}
