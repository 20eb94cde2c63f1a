package dev.switchboard.llm.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

import dev.switchboard.llm.AttemptOutcome;
import dev.switchboard.llm.Target;
import dev.switchboard.llm.internal.provider.ProviderSpec;
import dev.switchboard.tenancy.TenantContext;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * What this replica knows about every target: its circuit breaker (Resilience4j, one per target; a runtime
 * provider's are per tenant, so one tenant's bad key never trips another's), and per provider the last
 * error kind and the last success. Breaker states are exported as {@code resilience4j_circuitbreaker_state}
 * with the target as {@code name}.
 */
@Component
public class TargetStates {

    /** The last thing that happened to a provider. */
    public record ProviderState(Optional<AttemptOutcome> lastErrorKind, Optional<Instant> lastErrorAt,
            Optional<Instant> lastSuccessAt) {
    }

    private final CircuitBreakerRegistry breakers;
    private final Map<String, ProviderState> providers = new ConcurrentHashMap<>();
    private final Clock clock;

    TargetStates(LlmProperties properties, Clock clock, MeterRegistry meters) {
        LlmProperties.Breaker breaker = properties.breaker();
        this.breakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(breaker.slidingWindowSize())
                .minimumNumberOfCalls(breaker.minimumCalls())
                .failureRateThreshold(breaker.failureRateThreshold())
                .waitDurationInOpenState(breaker.openDuration())
                .permittedNumberOfCallsInHalfOpenState(breaker.halfOpenCalls())
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .build());
        this.clock = clock;
        MeterBinder metrics = TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers);
        metrics.bindTo(meters);
    }

    /** The breaker of a target of the given provider. */
    public CircuitBreaker breaker(ProviderSpec provider, Target target) {
        return breakers.circuitBreaker(scope(provider) + target);
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

    public ProviderState state(ProviderSpec provider) {
        return providers.getOrDefault(scope(provider) + provider.id(),
                new ProviderState(Optional.empty(), Optional.empty(), Optional.empty()));
    }

    /** The breakers of a provider's targets used so far, by model. */
    public Map<String, CircuitBreaker.State> breakerStates(ProviderSpec provider) {
        String prefix = scope(provider) + provider.id() + ":";
        Map<String, CircuitBreaker.State> states = new TreeMap<>();
        breakers.getAllCircuitBreakers().stream()
                .filter(breaker -> breaker.getName().startsWith(prefix))
                .forEach(breaker -> states.put(breaker.getName().substring(prefix.length()), breaker.getState()));
        return states;
    }

    /** Runtime providers are per tenant: their state is kept under the tenant. */
    private static String scope(ProviderSpec provider) {
        return provider.runtime() ? TenantContext.require() + "/" : "";
    }
}
