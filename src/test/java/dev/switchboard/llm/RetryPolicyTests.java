package dev.switchboard.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Random;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

/** The one retry policy of chat and embedding calls: what is retried, when, and for how long. */
class RetryPolicyTests {

    static final Clock NOW = Clock.fixed(Instant.parse("2026-03-02T10:00:00Z"), ZoneOffset.UTC);
    final RetryPolicy policy = new RetryPolicy(Duration.ofMillis(200), Duration.ofSeconds(2), Duration.ofSeconds(5), 3);

    @Test
    void retryAfterInSeconds() {
        assertThat(RetryPolicy.retryAfter("7", NOW)).contains(Duration.ofSeconds(7));
        assertThat(RetryPolicy.retryAfter(" 0 ", NOW)).contains(Duration.ZERO);
        assertThat(RetryPolicy.retryAfter("-3", NOW)).as("never negative").contains(Duration.ZERO);
    }

    @Test
    void retryAfterAsAnHttpDateIsMeasuredFromTheClock() {
        assertThat(RetryPolicy.retryAfter("Mon, 02 Mar 2026 10:00:30 GMT", NOW)).contains(Duration.ofSeconds(30));
        assertThat(RetryPolicy.retryAfter("Mon, 02 Mar 2026 09:59:00 GMT", NOW)).as("a date past is no wait").contains(Duration.ZERO);
    }

    @Test
    void aMissingOrUnreadableRetryAfterIsNone() {
        assertThat(RetryPolicy.retryAfter(null, NOW)).isEmpty();
        assertThat(RetryPolicy.retryAfter("  ", NOW)).isEmpty();
        assertThat(RetryPolicy.retryAfter("soon", NOW)).isEmpty();
    }

    @Test
    void rateLimitsTimeoutsAndServerErrorsAreRetriedOtherRefusalsAreNot() {
        assertThat(IntStream.of(408, 429, 500, 502, 503, 504)).allMatch(RetryPolicy::retryable);
        assertThat(IntStream.of(400, 401, 403, 404, 422)).noneMatch(RetryPolicy::retryable);
        assertThat(RetryPolicy.outcomeOf(429)).isEqualTo(AttemptOutcome.RATE_LIMITED);
        assertThat(RetryPolicy.outcomeOf(403)).isEqualTo(AttemptOutcome.AUTH_FAILED);
        assertThat(RetryPolicy.outcomeOf(408)).isEqualTo(AttemptOutcome.TIMEOUT);
        assertThat(RetryPolicy.outcomeOf(503)).isEqualTo(AttemptOutcome.SERVER_ERROR);
        assertThat(RetryPolicy.outcomeOf(404)).isEqualTo(AttemptOutcome.REQUEST_REJECTED);
    }

    @Test
    void theBackoffCeilingDoublesUpToItsCap() {
        assertThat(IntStream.range(0, 6).mapToObj(policy::ceiling).map(Duration::toMillis))
                .containsExactly(200L, 400L, 800L, 1_600L, 2_000L, 2_000L);
        assertThat(policy.ceiling(10_000)).as("no overflow on many retries").isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void jitteredWaitsStayWithinZeroAndTheCeilingAndSpreadOverIt() {
        Random random = new Random(18);
        for (int retry = 0; retry < 3; retry++) {
            Duration ceiling = policy.ceiling(retry);
            int attempt = retry;
            var waits = IntStream.range(0, 2_000).mapToObj(i -> policy.delay(attempt, Optional.empty(), random).orElseThrow()).toList();
            assertThat(waits).allSatisfy(wait -> assertThat(wait).isBetween(Duration.ZERO, ceiling));
            assertThat(waits).as("full jitter: some short, some near the ceiling")
                    .anySatisfy(wait -> assertThat(wait).isLessThan(ceiling.dividedBy(10)))
                    .anySatisfy(wait -> assertThat(wait).isGreaterThan(ceiling.multipliedBy(9).dividedBy(10)));
        }
    }

    @Test
    void theSameSeedGivesTheSameWaits() {
        assertThat(policy.delay(1, Optional.empty(), new Random(7))).isEqualTo(policy.delay(1, Optional.empty(), new Random(7)));
    }

    @Test
    void aRetryAfterLongerThanTheJitterIsWaitedForAndAShorterOneIsNotAFloorAbove() {
        Random random = new Random(18);
        assertThat(policy.delay(0, Optional.of(Duration.ofSeconds(4)), random)).contains(Duration.ofSeconds(4));
        assertThat(policy.delay(0, Optional.of(Duration.ZERO), random)).hasValueSatisfying(
                wait -> assertThat(wait).isBetween(Duration.ZERO, policy.ceiling(0)));
    }

    @Test
    void aRetryAfterBeyondTheMostItWaitsEndsTheTriesAtOnce() {
        assertThat(policy.waitsFor(Duration.ofSeconds(5))).isTrue();
        assertThat(policy.waitsFor(Duration.ofSeconds(6))).isFalse();
        assertThat(policy.delay(0, Optional.of(Duration.ofSeconds(6)), new Random(18))).isEmpty();
    }

    @Test
    void afterTheLastRetryThereIsNoWait() {
        Random random = new Random(18);
        assertThat(policy.delay(2, Optional.empty(), random)).isPresent();
        assertThat(policy.delay(3, Optional.empty(), random)).isEmpty();
        assertThat(new RetryPolicy(Duration.ofMillis(200), Duration.ofSeconds(2), Duration.ofSeconds(5), 0)
                .delay(0, Optional.empty(), random)).as("no retries at all").isEmpty();
    }

    @Test
    void negativeSettingsAreRefused() {
        assertThatThrownBy(() -> new RetryPolicy(Duration.ofMillis(-1), Duration.ofSeconds(2), Duration.ofSeconds(5), 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetryPolicy(Duration.ofMillis(1), Duration.ofSeconds(2), Duration.ofSeconds(5), -1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
