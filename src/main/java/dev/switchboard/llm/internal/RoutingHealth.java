package dev.switchboard.llm.internal;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.stereotype.Component;

import dev.switchboard.llm.LlmRouter;
import dev.switchboard.llm.Target;
import dev.switchboard.llm.internal.provider.ProviderDirectory;
import dev.switchboard.llm.internal.provider.ProviderSpec;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;

/**
 * Readiness of LLM routing ({@code llmRouting} in {@code /health/ready}): {@code UP} while no target of the
 * default chain has an open breaker; {@code DEGRADED} (still ready, HTTP 200) while some have, because the
 * chain fails over and the local responder always answers — taking replicas out of service would not bring
 * a provider back, it would only refuse the users the other targets can still serve.
 */
@Component("llmRouting")
class RoutingHealth implements HealthIndicator {

    static final Status DEGRADED = new Status("DEGRADED", "Some targets of the default chain have an open circuit breaker");

    private final LlmRouter router;
    private final ProviderDirectory providers;
    private final TargetStates states;

    RoutingHealth(LlmRouter router, ProviderDirectory providers, TargetStates states) {
        this.router = router;
        this.providers = providers;
        this.states = states;
    }

    @Override
    public Health health() {
        List<String> open = new ArrayList<>();
        for (Target target : router.defaultChain().targets()) {
            ProviderSpec provider = providers.configured().get(target.providerId());
            if (provider != null && states.breaker(provider, target).getState() == CircuitBreaker.State.OPEN) {
                open.add(target.toString());
            }
        }
        return open.isEmpty() ? Health.up().withDetail("defaultChain", router.defaultChain().toString()).build()
                : Health.status(DEGRADED).withDetail("openBreakers", open).build();
    }
}
