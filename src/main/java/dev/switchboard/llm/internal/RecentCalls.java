package dev.switchboard.llm.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.switchboard.llm.AttemptOutcome;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The last {@link #PER_PROVIDER} calls of each provider on this replica, for the admin console's latency chart: when,
 * which model, how it ended and how long it took. Kept in memory only (a restart starts empty); the long view is the
 * {@code switchboard_llm_latency_seconds} metric. Bounded: at most {@link #MAX_PROVIDERS} providers (runtime
 * providers are per tenant, so unbounded in number), and a provider unused for {@link #UNUSED_TTL} is forgotten.
 */
public final class RecentCalls {

    /**
     * One call of a provider's target.
     *
     * @param at when it ended
     * @param model the target's model
     * @param outcome how it ended
     * @param millis how long it took
     */
    @Schema(name = "ProviderCall")
    public record Call(Instant at, String model, AttemptOutcome outcome, long millis) {
    }

    /** Enough points for a readable chart; 100 × 3 small fields per provider. */
    static final int PER_PROVIDER = 100;
    /** A deployment's configured providers plus its tenants' runtime ones that were called in the last hour. */
    static final int MAX_PROVIDERS = 10_000;
    static final Duration UNUSED_TTL = Duration.ofHours(1);

    private final Cache<String, Deque<Call>> calls;
    private final Clock clock;

    RecentCalls(Clock clock) {
        this.clock = clock;
        this.calls = Caffeine.newBuilder().maximumSize(MAX_PROVIDERS).expireAfterAccess(UNUSED_TTL)
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis())).build();
    }

    void record(String provider, String model, AttemptOutcome outcome, long nanos) {
        Deque<Call> recent = calls.get(provider, key -> new ArrayDeque<>(PER_PROVIDER));
        Call call = new Call(clock.instant(), model, outcome, TimeUnit.NANOSECONDS.toMillis(nanos));
        synchronized (recent) {
            if (recent.size() == PER_PROVIDER) {
                recent.removeFirst();
            }
            recent.addLast(call);
        }
    }

    /** The provider's recent calls, oldest first. */
    List<Call> of(String provider) {
        Deque<Call> recent = calls.getIfPresent(provider);
        if (recent == null) {
            return List.of();
        }
        synchronized (recent) {
            return List.copyOf(recent);
        }
    }

    void forget(String provider) {
        calls.invalidate(provider);
    }
}
