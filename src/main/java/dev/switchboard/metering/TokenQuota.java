package dev.switchboard.metering;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

import dev.switchboard.identity.Caller;
import dev.switchboard.shared.SwitchboardException;

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

    /**
     * Reserves tokens for {@code what} (a turn, a test prompt), or refuses with 429 {@code token-quota-exceeded} and
     * {@code Retry-After}: the one way a model call is refused for quota.
     *
     * @return the reservation to settle, empty when the caller is not metered
     */
    default Optional<Reservation> reserveOrRefuse(Caller caller, long tokens, String what) {
        Result result = reserve(caller, tokens);
        if (!result.granted()) {
            SwitchboardException refused = new SwitchboardException(HttpStatus.TOO_MANY_REQUESTS, "token-quota-exceeded",
                    what + " needs up to " + tokens + " tokens and your daily token quota has not that many left; retry in "
                            + result.decision().retryAfterSeconds() + " seconds or ask for a higher tier.");
            refused.getHeaders().set(HttpHeaders.RETRY_AFTER, String.valueOf(result.decision().retryAfterSeconds()));
            throw refused;
        }
        return result.reservation();
    }

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
