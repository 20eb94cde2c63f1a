package dev.switchboard.llm.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.switchboard.llm.Target;
import dev.switchboard.llm.TokensUsed;
import dev.switchboard.llm.internal.provider.ProviderConnections;
import dev.switchboard.llm.internal.provider.ProviderDirectory;
import dev.switchboard.llm.internal.provider.ProviderKind;
import dev.switchboard.shared.OutboundAddressPolicy;
import dev.switchboard.shared.OutboundConnections;
import dev.switchboard.shared.OutboundResolver;
import dev.switchboard.support.MutableClock;
import dev.switchboard.support.RecordingSleeper;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * A router wired from real parts (the Spring AI clients, real HTTP to {@code FakeLlmServer}) without an
 * application context: configured providers only, no tenant.
 */
final class RouterFixture {

    /** The fake providers listen on loopback: the one range opened. */
    static final OutboundConnections LOOPBACK_ONLY = new OutboundConnections(
            new OutboundAddressPolicy(List.of("127.0.0.1/32", "::1/128")), OutboundResolver.SYSTEM);

    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    /** The breakers' clock: tests move it instead of waiting for an open breaker's time to pass. */
    final MutableClock clock = new MutableClock();
    /** The retries' back-offs, recorded rather than waited. */
    final RecordingSleeper sleeps = new RecordingSleeper();
    final List<TokensUsed> tokensUsed = new ArrayList<>();
    final TargetStates states;
    final ProviderDirectory directory;
    final ChainRouter router;

    RouterFixture(Map<String, LlmProperties.Provider> providers, String defaultChain, LlmProperties.Breaker breaker) {
        LlmProperties properties = new LlmProperties(defaultChain, providers,
                new LlmProperties.Retry(Duration.ofMillis(20), Duration.ofMillis(100), Duration.ofSeconds(2)), breaker);
        states = new TargetStates(properties, clock, meters);
        // No tenant is ever current here, so the runtime providers (and their database) are never consulted.
        directory = new ProviderDirectory(properties, null, null);
        router = new ChainRouter(properties, directory, states, new ChatClients(new ProviderConnections(LOOPBACK_ONLY)), new LlmMetrics(
                meters),
                event -> tokensUsed.add((TokensUsed) event),
                new org.springframework.beans.factory.support.StaticListableBeanFactory().getBeanProvider(
                        dev.switchboard.llm.SentenceSimilarity.class),
                new AttemptSpans(dev.switchboard.shared.Traces.none()), sleeps);
    }

    static LlmProperties.Breaker lenientBreaker() {
        return new LlmProperties.Breaker(50, 10, 100, Duration.ofSeconds(30), 1);
    }

    static LlmProperties.Provider provider(ProviderKind kind, String baseUrl) {
        // Generous: a cold client on a loaded machine is not a timeout. Tests of timeouts set their own.
        return provider(kind, baseUrl, List.of(), Duration.ofSeconds(20), Duration.ofSeconds(30), 1);
    }

    static LlmProperties.Provider provider(ProviderKind kind, String baseUrl, List<LlmProperties.Model> models,
            Duration firstToken, Duration total, int maxRetries) {
        return new LlmProperties.Provider(kind, baseUrl, "test-key-" + kind.id(), models, Duration.ofSeconds(2), firstToken, total,
                maxRetries);
    }

    /** The base URL the kind's client expects on the fake server. */
    static String baseUrl(ProviderKind kind, String fake) {
        return kind == ProviderKind.OPENAI ? fake + "/v1" : fake;
    }

    CircuitBreaker.State breakerState(String target) {
        Target parsed = Target.parse(target);
        return states.breaker(directory.find(parsed.providerId()).orElseThrow(), parsed).getState();
    }

    void close() {
        router.destroy();
    }
}
