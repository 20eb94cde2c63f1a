package dev.switchboard.metering;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import dev.switchboard.identity.Caller;

/**
 * Daily LLM token quotas per user, by the user's tier, and per key, by the key's tier: a call made with a key
 * draws on both, and whichever is exhausted first refuses, so that many keys do not multiply a user's quota
 * (a session draws on the user's alone). A model call first reserves its worst
 * case (prompt plus max output tokens); concurrent calls therefore cannot overspend. Afterwards it settles the
 * actual count: what was reserved and not used goes back, and a call that used more than reserved is charged
 * the difference.
 */
public interface TokenQuota {

    /** A reservation to settle once the call has finished: the same tokens taken from each bucket. */
    record Reservation(List<Bucket> buckets, long reserved) {

        public Reservation {
            buckets = List.copyOf(buckets);
        }
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
