package dev.switchboard.llm.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.switchboard.llm.AttemptOutcome;
import dev.switchboard.llm.ProviderChanged;
import dev.switchboard.llm.Target;
import dev.switchboard.llm.internal.provider.ProviderSpec;
import dev.switchboard.tenancy.TenantContext;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * What this replica knows about every target: its circuit breaker (Resilience4j, one per target; a runtime
 * provider's are per tenant, so one tenant's bad key never trips another's), and per provider the last
 * error kind and the last success.
 * <p>
 * Metric series stay bounded: the breakers of configured providers' targets are exported as {@code
 * resilience4j_circuitbreaker_state} with the target as {@code name}, up to {@link #MAX_METERED_BREAKERS};
 * runtime providers' breakers (per tenant, so unbounded in number) and any configured target beyond that
 * bound are counted only by state, in {@code switchboard_llm_runtime_breakers{state}}. When a runtime
 * provider is changed or deleted its breakers and last state are dropped, so a deleted provider leaves
 * nothing behind and a changed one starts closed; on other replicas a changed provider's new revision gets
 * new breakers, and breakers unused for {@link #UNUSED_BREAKER_TTL} are forgotten. The last calls of each provider
 * (when, model, outcome, latency) are kept for the admin console ({@link RecentCalls}).
 */
@Component
public class TargetStates {

    /** The last thing that happened to a provider. */
    public record ProviderState(Optional<AttemptOutcome> lastErrorKind, Optional<Instant> lastErrorAt,
            Optional<Instant> lastSuccessAt) {
    }

    /**
     * Configured targets with series of their own. A deployment configures a few providers with tens of
     * models; a chain may still name any model of a provider without a model list, so the bound is needed.
     */
    static final int MAX_METERED_BREAKERS = 100;

    private final CircuitBreakerRegistry breakers;
    /**
     * How long an unmetered breaker is kept unused. Another replica's change or deletion of a runtime
     * provider never reaches this one's breakers, so they are forgotten when unused; an hour is far longer
     * than any breaker stays open, so forgetting one loses nothing.
     */
    static final Duration UNUSED_BREAKER_TTL = Duration.ofHours(1);

    /** A breaker without series of its own, for the provider revision it was made for. */
    private record Unmetered(long revision, CircuitBreaker breaker) {
    }

    private final CircuitBreakerConfig config;
    /** Runtime providers' breakers and configured targets over the bound: no per-breaker series. */
    private final Cache<String, Unmetered> unmetered;
    private final Map<String, ProviderState> providers = new ConcurrentHashMap<>();
    private final Clock clock;
    private final RecentCalls recent;

    TargetStates(LlmProperties properties, Clock clock, MeterRegistry meters) {
        LlmProperties.Breaker breaker = properties.breaker();
        CircuitBreakerConfig config = CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(breaker.slidingWindowSize())
                .minimumNumberOfCalls(breaker.minimumCalls())
                .failureRateThreshold(breaker.failureRateThreshold())
                .waitDurationInOpenState(breaker.openDuration())
                .permittedNumberOfCallsInHalfOpenState(breaker.halfOpenCalls())
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                // The open state's wait follows the application's clock, as the rest of the target's state does.
                .clock(clock)
                .build();
        this.config = config;
        this.breakers = CircuitBreakerRegistry.of(config);
        this.unmetered = Caffeine.newBuilder().expireAfterAccess(UNUSED_BREAKER_TTL)
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis())).build();
        this.clock = clock;
        this.recent = new RecentCalls(clock);
        MeterBinder metrics = TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers);
        metrics.bindTo(meters);
        for (CircuitBreaker.State state : CircuitBreaker.State.values()) {
            Gauge.builder("switchboard.llm.runtime_breakers", this, states -> states.count(state))
                    .description("Circuit breakers without series of their own (runtime providers' and configured "
                            + "targets beyond the first " + MAX_METERED_BREAKERS + "), by state")
                    .tag("state", state.name().toLowerCase(Locale.ROOT)).register(meters);
        }
    }

    /**
     * The breaker of a target of the given provider. A runtime provider's is made anew when the provider has
     * changed since (its revision), so a provider changed through another replica starts closed here too.
     */
    public CircuitBreaker breaker(ProviderSpec provider, Target target) {
        String name = scope(provider) + target;
        if (provider.runtime()) {
            return unmetered(name, provider.revision());
        }
        Optional<CircuitBreaker> metered = breakers.find(name);
        if (metered.isPresent()) {
            return metered.get();
        }
        synchronized (breakers) {
            boolean room = !unmetered.asMap().containsKey(name) && breakers.getAllCircuitBreakers().size() < MAX_METERED_BREAKERS;
            return room ? breakers.circuitBreaker(name) : unmetered(name, provider.revision());
        }
    }

    private CircuitBreaker unmetered(String name, long revision) {
        return unmetered.asMap().compute(name, (key, existing) -> existing != null && existing.revision() == revision
                ? existing : new Unmetered(revision, CircuitBreaker.of(key, config))).breaker();
    }

    /**
     * Drops what is known of a runtime provider of the current tenant that was changed or deleted: its
     * breakers (a changed provider may point elsewhere, with another key, and starts closed) and its last
     * state.
     */
    @EventListener
    void providerChanged(ProviderChanged event) {
        String provider = TenantContext.require() + "/" + event.providerId();
        unmetered.asMap().keySet().removeIf(name -> name.startsWith(provider + ":"));
        providers.remove(provider);
        recent.forget(provider);
    }

    private double count(CircuitBreaker.State state) {
        return unmetered.asMap().values().stream().filter(entry -> entry.breaker().getState() == state).count();
    }

    public void failed(ProviderSpec provider, AttemptOutcome outcome) {
        Instant now = clock.instant();
        providers.compute(scope(provider) + provider.id(), (key, state) -> new ProviderState(Optional.of(outcome),
                Optional.of(now), state == null ? Optional.empty() : state.lastSuccessAt()));
    }

    public void succeeded(ProviderSpec provider) {
        Instant now = clock.instant();
        providers.compute(scope(provider) + provider.id(), (key, state) -> new ProviderState(
                state == null ? Optional.empty() : state.lastErrorKind(), state == null ? Optional.empty() : state.lastErrorAt(),
                Optional.of(now)));
    }

    /** A call of one of the provider's targets that was made (answered or failed), for {@link #recentCalls}. */
    public void called(ProviderSpec provider, Target target, AttemptOutcome outcome, long nanos) {
        recent.record(scope(provider) + provider.id(), target.model(), outcome, nanos);
    }

    /** The provider's last calls on this replica, oldest first. */
    public List<RecentCalls.Call> recentCalls(ProviderSpec provider) {
        return recent.of(scope(provider) + provider.id());
    }

    public ProviderState state(ProviderSpec provider) {
        return providers.getOrDefault(scope(provider) + provider.id(),
                new ProviderState(Optional.empty(), Optional.empty(), Optional.empty()));
    }

    /** The breakers of a provider's targets used so far, by model. */
    public Map<String, CircuitBreaker.State> breakerStates(ProviderSpec provider) {
        String prefix = scope(provider) + provider.id() + ":";
        Map<String, CircuitBreaker.State> states = new TreeMap<>();
        Stream.concat(breakers.getAllCircuitBreakers().stream(), unmetered.asMap().values().stream().map(Unmetered::breaker))
                .filter(breaker -> breaker.getName().startsWith(prefix))
                .forEach(breaker -> states.put(breaker.getName().substring(prefix.length()), breaker.getState()));
        return states;
    }

    /** Runtime providers are per tenant: their state is kept under the tenant. */
    private static String scope(ProviderSpec provider) {
        return provider.runtime() ? TenantContext.require() + "/" : "";
    }
}
