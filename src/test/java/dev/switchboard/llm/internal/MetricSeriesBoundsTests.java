package dev.switchboard.llm.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.switchboard.fakellm.Behaviour;
import dev.switchboard.fakellm.FakeLlmServer;
import dev.switchboard.llm.AttemptOutcome;
import dev.switchboard.llm.Chain;
import dev.switchboard.llm.LlmRequest;
import dev.switchboard.llm.LlmResult;
import dev.switchboard.llm.ProviderChanged;
import dev.switchboard.llm.Target;
import dev.switchboard.llm.internal.provider.ProviderKind;
import dev.switchboard.llm.internal.provider.ProviderSpec;
import dev.switchboard.support.MutableClock;
import dev.switchboard.tenancy.TenantContext;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** Whatever chains name and however many providers come and go, the metric series stay bounded. */
class MetricSeriesBoundsTests {

    final FakeLlmServer backup = new FakeLlmServer();
    RouterFixture fixture;

    MetricSeriesBoundsTests() throws IOException {
        backup.always(Behaviour.reply("Backup says Paris."));
    }

    @AfterEach
    void stop() {
        backup.close();
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void aChainOfAThousandUnknownTargetsRegistersNoSeries() {
        fixture = new RouterFixture(Map.of("backup", RouterFixture.provider(ProviderKind.OPENAI, backup.baseUrl() + "/v1")),
                "backup:model-b", RouterFixture.lenientBreaker());
        fixture.router.generate(Chain.parse("ghost-0:m,backup:model-b"), LlmRequest.ofPrompt("Hi", "test"));
        Set<Meter.Id> before = series();

        String ghosts = IntStream.range(0, 1000).mapToObj(i -> "ghost-" + i + ":model-" + i).collect(Collectors.joining(","));
        LlmResult result = fixture.router.generate(Chain.parse(ghosts + ",backup:model-b"), LlmRequest.ofPrompt("Hi", "test"));

        assertThat(result.target()).isEqualTo(Target.parse("backup:model-b"));
        assertThat(result.attempts()).hasSize(1001);
        assertThat(series()).isEqualTo(before);
        assertThat(fixture.meters.find("switchboard.llm.skipped").tag("target", "unknown")
                .tag("reason", AttemptOutcome.UNKNOWN_PROVIDER.kind()).counter().count()).isEqualTo(1001.0);
    }

    @Test
    void targetTagsAreBoundedThenOther() {
        LlmMetrics metrics = new LlmMetrics(fixture().meters);
        for (int i = 0; i < 150; i++) {
            metrics.call(Target.parse("backup:model-" + i), AttemptOutcome.ANSWERED, 1_000);
        }
        Set<String> tags = fixture.meters.find("switchboard.llm.requests").counters().stream()
                .map(counter -> counter.getId().getTag("target")).collect(Collectors.toSet());
        assertThat(tags).hasSize(LlmMetrics.MAX_TARGET_TAGS + 1).contains("other", "backup:model-0")
                .doesNotContain("backup:model-149");
    }

    @Test
    void configuredBreakersHaveSeriesUpToTheBound() {
        TargetStates states = fixture().states;
        ProviderSpec backupSpec = fixture.directory.find("backup").orElseThrow();
        for (int i = 0; i < 150; i++) {
            states.breaker(backupSpec, Target.parse("backup:model-" + i));
        }
        Set<String> named = fixture.meters.find("resilience4j.circuitbreaker.state").gauges().stream()
                .map(gauge -> gauge.getId().getTag("name")).collect(Collectors.toSet());
        assertThat(named).hasSize(TargetStates.MAX_METERED_BREAKERS);
        assertThat(states.breakerStates(backupSpec)).hasSize(150);
        assertThat(runtimeBreakers("closed")).isEqualTo(50.0);
        assertThat(states.breaker(backupSpec, Target.parse("backup:model-149")))
                .isSameAs(states.breaker(backupSpec, Target.parse("backup:model-149")));
    }

    @Test
    void aChangedOrDeletedRuntimeProvidersBreakersAreRemoved() {
        TargetStates states = fixture().states;
        UUID tenant = UUID.randomUUID();
        ProviderSpec runtime = new ProviderSpec("mine", ProviderKind.OPENAI, "https://llm.example.com/v1", "key",
                List.of(), ProviderSpec.Timeouts.DEFAULTS, 1, 0, true);
        ProviderSpec other = new ProviderSpec("theirs", ProviderKind.OPENAI, "https://llm.example.com/v1", "key",
                List.of(), ProviderSpec.Timeouts.DEFAULTS, 1, 0, true);
        Set<Meter.Id> before = series();
        try (TenantContext.Scope scope = TenantContext.open(tenant)) {
            states.breaker(runtime, Target.parse("mine:a")).transitionToOpenState();
            states.breaker(runtime, Target.parse("mine:b"));
            states.breaker(other, Target.parse("theirs:a"));
            states.failed(runtime, AttemptOutcome.SERVER_ERROR);
            // Runtime breakers are per tenant: counted by state, never a series each.
            assertThat(series()).isEqualTo(before);
            assertThat(runtimeBreakers("open")).isEqualTo(1.0);
            assertThat(runtimeBreakers("closed")).isEqualTo(2.0);

            states.providerChanged(new ProviderChanged("mine", "provider.deleted"));

            assertThat(states.breakerStates(runtime)).isEmpty();
            assertThat(states.state(runtime).lastErrorKind()).isEmpty();
            assertThat(states.breakerStates(other)).containsOnlyKeys("a");
            assertThat(runtimeBreakers("open")).isZero();
            assertThat(runtimeBreakers("closed")).isEqualTo(1.0);
            assertThat(states.breaker(runtime, Target.parse("mine:a")).getState())
                    .isEqualTo(CircuitBreaker.State.CLOSED);
        }
    }

    @Test
    void anotherReplicasChangeOrDeletionIsCaughtUpWith() {
        MutableClock clock = MutableClock.stoppedAt(Instant.parse("2026-01-01T00:00:00Z"));
        TargetStates states = new TargetStates(properties(), clock, new SimpleMeterRegistry());
        ProviderSpec revision0 = runtimeSpec("mine", 0);
        try (TenantContext.Scope scope = TenantContext.open(UUID.randomUUID())) {
            CircuitBreaker first = states.breaker(revision0, Target.parse("mine:a"));
            first.transitionToOpenState();
            // The provider was changed elsewhere: its next revision starts closed.
            assertThat(states.breaker(runtimeSpec("mine", 1), Target.parse("mine:a")).getState())
                    .isEqualTo(CircuitBreaker.State.CLOSED);
            assertThat(states.breakerStates(revision0)).hasSize(1);

            // Deleted elsewhere: unused, its breakers are forgotten.
            clock.advance(TargetStates.UNUSED_BREAKER_TTL.plusMinutes(1));
            assertThat(states.breakerStates(revision0)).isEmpty();
        }
    }

    private static ProviderSpec runtimeSpec(String id, long revision) {
        return new ProviderSpec(id, ProviderKind.OPENAI, "https://llm.example.com/v1", "key", List.of(),
                ProviderSpec.Timeouts.DEFAULTS, 1, revision, true);
    }

    private static LlmProperties properties() {
        return new LlmProperties("", Map.of(), new LlmProperties.Retry(Duration.ofMillis(20),
                Duration.ofMillis(100), Duration.ofSeconds(2)), RouterFixture.lenientBreaker());
    }

    private RouterFixture fixture() {
        fixture = new RouterFixture(Map.of("backup", RouterFixture.provider(ProviderKind.OPENAI, backup.baseUrl() + "/v1")),
                "backup:model-b", RouterFixture.lenientBreaker());
        return fixture;
    }

    private Set<Meter.Id> series() {
        return fixture.meters.getMeters().stream().map(Meter::getId).collect(Collectors.toSet());
    }

    private double runtimeBreakers(String state) {
        return fixture.meters.get("switchboard.llm.runtime_breakers").tag("state", state).gauge().value();
    }
}
