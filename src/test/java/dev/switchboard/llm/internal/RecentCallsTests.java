package dev.switchboard.llm.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import dev.switchboard.llm.AttemptOutcome;
import dev.switchboard.support.MutableClock;

/** The latency history behind the console's chart: bounded per provider, oldest first, forgotten when unused. */
class RecentCallsTests {

    final MutableClock clock = MutableClock.stoppedAt(Instant.parse("2026-12-01T09:00:00Z"));
    final RecentCalls calls = new RecentCalls(clock);

    @Test
    void keepsTheLastHundredCallsOfEachProviderOldestFirst() {
        IntStream.range(0, 150).forEach(i -> {
            clock.advance(Duration.ofSeconds(1));
            calls.record("p", "m" + i, AttemptOutcome.ANSWERED, TimeUnit.MILLISECONDS.toNanos(i));
        });
        calls.record("q", "other", AttemptOutcome.TIMEOUT, TimeUnit.SECONDS.toNanos(30));

        assertThat(calls.of("p")).hasSize(RecentCalls.PER_PROVIDER);
        assertThat(calls.of("p").getFirst().model()).isEqualTo("m50");
        assertThat(calls.of("p").getLast().millis()).isEqualTo(149);
        assertThat(calls.of("p").getLast().at()).isEqualTo(clock.instant());
        assertThat(calls.of("q")).singleElement().satisfies(call -> {
            assertThat(call.outcome()).isEqualTo(AttemptOutcome.TIMEOUT);
            assertThat(call.millis()).isEqualTo(30_000);
        });
        assertThat(calls.of("unknown")).isEmpty();
    }

    @Test
    void aProviderIsForgottenWhenChangedOrUnusedForAnHour() {
        calls.record("p", "m", AttemptOutcome.ANSWERED, 1);
        calls.record("q", "m", AttemptOutcome.ANSWERED, 1);
        calls.forget("p");
        assertThat(calls.of("p")).isEmpty();
        assertThat(calls.of("q")).hasSize(1);

        clock.advance(RecentCalls.UNUSED_TTL.plusSeconds(1));
        assertThat(calls.of("q")).isEmpty();
    }
}
