package dev.switchboard.llm.internal;

import java.util.concurrent.TimeUnit;

import org.springframework.stereotype.Component;

import dev.switchboard.llm.AttemptOutcome;
import dev.switchboard.llm.Target;
import dev.switchboard.llm.Usage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * LLM metrics, per target: {@code switchboard_llm_requests_total{target,outcome}} (calls made, by how they
 * ended), {@code switchboard_llm_latency_seconds{target,outcome}}, {@code switchboard_llm_skipped_total{target,reason}}
 * (targets passed over: capability, open breaker, unknown provider), {@code switchboard_llm_tokens_total{target,direction}}
 * and {@code switchboard_llm_failovers_total{from,to}}. Breaker states come from Resilience4j
 * ({@code resilience4j_circuitbreaker_state}).
 */
@Component
class LlmMetrics {

    private final MeterRegistry meters;

    LlmMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    void call(Target target, AttemptOutcome outcome, long nanos) {
        Counter.builder("switchboard.llm.requests").description("Calls to LLM targets, by outcome")
                .tag("target", target.toString()).tag("outcome", outcome.kind()).register(meters).increment();
        Timer.builder("switchboard.llm.latency").description("Latency of calls to LLM targets")
                .tag("target", target.toString()).tag("outcome", outcome.kind()).register(meters)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    void skipped(Target target, AttemptOutcome reason) {
        Counter.builder("switchboard.llm.skipped").description("Targets passed over without a call")
                .tag("target", target.toString()).tag("reason", reason.kind()).register(meters).increment();
    }

    void tokens(Target target, Usage usage) {
        Counter.builder("switchboard.llm.tokens").description("Tokens used, by direction")
                .tag("target", target.toString()).tag("direction", "input").register(meters).increment(usage.inputTokens());
        Counter.builder("switchboard.llm.tokens").description("Tokens used, by direction")
                .tag("target", target.toString()).tag("direction", "output").register(meters).increment(usage.outputTokens());
    }

    void failover(Target from, Target to) {
        Counter.builder("switchboard.llm.failovers").description("Answers given by a later target than the chain's first")
                .tag("from", from.toString()).tag("to", to.toString()).register(meters).increment();
    }
}
