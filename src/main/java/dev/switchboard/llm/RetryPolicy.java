package dev.switchboard.llm;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * The one retry policy of calls to providers, chat and embeddings alike: which answers are retried (429, 408,
 * 5xx — and connection failures and timeouts, see {@link AttemptOutcome#retryable()}), how many times, and how
 * long to wait before the next try — full-jitter exponential backoff (a uniform wait between zero and
 * {@code initialBackoff × 2^retry}, capped at {@code maxBackoff}), or the provider's {@code Retry-After} when it
 * asks for longer, as long as that is at most {@code maxRetryAfter}; a longer one is not waited for.
 *
 * @param initialBackoff the ceiling of the first retry's wait, doubled for each further retry
 * @param maxBackoff the highest ceiling
 * @param maxRetryAfter the longest {@code Retry-After} waited for
 * @param maxRetries retries after the first try
 */
public record RetryPolicy(Duration initialBackoff, Duration maxBackoff, Duration maxRetryAfter, int maxRetries) {

    public RetryPolicy {
        if (initialBackoff.isNegative() || maxBackoff.isNegative() || maxRetryAfter.isNegative() || maxRetries < 0) {
            throw new IllegalArgumentException("A retry policy's durations and retries cannot be negative");
        }
    }

    /** What an HTTP status says about the attempt: 429 rate limited, 401/403 refused key, 408 timeout, 5xx, other 4xx. */
    public static AttemptOutcome outcomeOf(int status) {
        if (status == 429) {
            return AttemptOutcome.RATE_LIMITED;
        }
        if (status == 401 || status == 403) {
            return AttemptOutcome.AUTH_FAILED;
        }
        if (status == 408) {
            return AttemptOutcome.TIMEOUT;
        }
        if (status >= 500) {
            return AttemptOutcome.SERVER_ERROR;
        }
        if (status >= 400) {
            return AttemptOutcome.REQUEST_REJECTED;
        }
        return AttemptOutcome.MALFORMED_RESPONSE;
    }

    /** Whether an answer with this status may succeed if asked again: 408, 429 and 5xx. */
    public static boolean retryable(int status) {
        return outcomeOf(status).retryable();
    }

    /**
     * A {@code Retry-After} header's wait: whole seconds, or an HTTP date (RFC 1123) measured from {@code clock}'s
     * now. A date in the past is no wait; a missing or unreadable value is empty.
     */
    public static Optional<Duration> retryAfter(String value, Clock clock) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value.strip()))));
        }
        catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration wait = Duration.between(clock.instant(), at);
                return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
            }
            catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }

    /** Whether a provider's {@code Retry-After} is short enough to wait for; a longer one ends the tries at once. */
    public boolean waitsFor(Duration retryAfter) {
        return retryAfter.compareTo(maxRetryAfter) <= 0;
    }

    /**
     * How long to wait before retry number {@code retryCount + 1}, or empty when the retries are spent or the
     * provider asked for a wait longer than {@code maxRetryAfter}. The caller decides first whether the failure is
     * retryable at all.
     *
     * @param retryCount retries made so far (0 after the first try failed)
     * @param retryAfter what the provider asked for, if anything
     */
    public Optional<Duration> delay(int retryCount, Optional<Duration> retryAfter, RandomGenerator random) {
        if (retryCount >= maxRetries || retryAfter.isPresent() && !waitsFor(retryAfter.get())) {
            return Optional.empty();
        }
        Duration jittered = Duration.ofMillis(random.nextLong(ceiling(retryCount).toMillis() + 1));
        return Optional.of(retryAfter.filter(asked -> asked.compareTo(jittered) > 0).orElse(jittered));
    }

    /** The longest jittered wait before retry number {@code retryCount + 1}. */
    public Duration ceiling(int retryCount) {
        long initial = initialBackoff.toMillis();
        int shift = Math.min(retryCount, 20);
        long doubled = initial > (Long.MAX_VALUE >> shift) ? Long.MAX_VALUE : initial << shift;
        return Duration.ofMillis(Math.min(maxBackoff.toMillis(), doubled));
    }
}
