package dev.switchboard.llm.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
 * ({@code resilience4j_circuitbreaker_state}, see {@link TargetStates}).
 * <p>
 * The series stay bounded whatever chains name: a target whose provider does not exist is tagged {@code
 * unknown} (registered at start, so such targets add nothing), and past {@link #MAX_TARGET_TAGS} distinct
 * targets further ones are tagged {@code other}.
 */
@Component
class LlmMetrics {

    /**
     * Distinct {@code provider:model} tag values. A deployment uses a few providers with tens of models; the
     * bound keeps a chain of made-up models of a real provider from adding series without end.
     */
    static final int MAX_TARGET_TAGS = 100;
    static final String UNKNOWN = "unknown";
    static final String OTHER = "other";

    private final MeterRegistry meters;
    private final Set<String> targets = ConcurrentHashMap.newKeySet();

    LlmMetrics(MeterRegistry meters) {
        this.meters = meters;
        skippedCounter(UNKNOWN, AttemptOutcome.UNKNOWN_PROVIDER);
    }

    /** The tag of a target that was (or would have been) called: its name, or {@code other} past the bound. */
    private String tag(Target target) {
        String name = target.toString();
        if (targets.contains(name)) {
            return name;
        }
        synchronized (targets) {
            if (targets.size() < MAX_TARGET_TAGS) {
                targets.add(name);
                return name;
            }
        }
        return OTHER;
    }

    void call(Target target, AttemptOutcome outcome, long nanos) {
        String tag = tag(target);
        Counter.builder("switchboard.llm.requests").description("Calls to LLM targets, by outcome")
                .tag("target", tag).tag("outcome", outcome.kind()).register(meters).increment();
        Timer.builder("switchboard.llm.latency").description("Latency of calls to LLM targets")
                .tag("target", tag).tag("outcome", outcome.kind()).register(meters)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    void skipped(Target target, AttemptOutcome reason) {
        skippedCounter(reason == AttemptOutcome.UNKNOWN_PROVIDER ? UNKNOWN : tag(target), reason).increment();
    }

    private Counter skippedCounter(String target, AttemptOutcome reason) {
        return Counter.builder("switchboard.llm.skipped").description("Targets passed over without a call")
                .tag("target", target).tag("reason", reason.kind()).register(meters);
    }

    void tokens(Target target, Usage usage) {
        String tag = tag(target);
        Counter.builder("switchboard.llm.tokens").description("Tokens used, by direction")
                .tag("target", tag).tag("direction", "input").register(meters).increment(usage.inputTokens());
        Counter.builder("switchboard.llm.tokens").description("Tokens used, by direction")
                .tag("target", tag).tag("direction", "output").register(meters).increment(usage.outputTokens());
    }

    void failover(Target from, boolean fromUnknown, Target to) {
        Counter.builder("switchboard.llm.failovers").description("Answers given by a later target than the chain's first")
                .tag("from", fromUnknown ? UNKNOWN : tag(from)).tag("to", tag(to)).register(meters).increment();
    }
}
