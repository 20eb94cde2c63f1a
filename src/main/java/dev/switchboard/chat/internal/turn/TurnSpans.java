package dev.switchboard.chat.internal.turn;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.springframework.stereotype.Component;

import dev.switchboard.identity.Caller;
import dev.switchboard.persona.Persona;
import dev.switchboard.shared.TraceAttributes;
import dev.switchboard.shared.TraceSpan;
import dev.switchboard.shared.Traces;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The spans of a turn's stages ({@code chat.session}, {@code chat.retrieve}, {@code chat.history}, {@code chat.assemble},
 * {@code chat.generate}, {@code chat.tools}, {@code chat.citations}, {@code chat.persist}, {@code chat.summarise}), each
 * tagged with the tenant and the persona, so that a trace shows where a turn's time went; the stages run through
 * {@link #stage(String, Caller, Persona, Supplier)} are also timed in {@code switchboard_chat_stage_seconds{stage}}, so that
 * the metrics show it without tracing.
 */
@Component
class TurnSpans {

    private final Traces traces;
    private final MeterRegistry meters;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    TurnSpans(Traces traces, MeterRegistry meters) {
        this.traces = traces;
        this.meters = meters;
    }

    /** Opens the span of one stage; close it when the stage is done. */
    TraceSpan stage(String stage, Caller caller, Persona persona) {
        return traces.start("chat." + stage)
                .tag(TraceAttributes.TENANT, caller.tenantId().toString())
                .tag(TraceAttributes.PERSONA, persona.id().toString());
    }

    /** Runs one stage in its span; a stage that throws marks its span failed (with the exception's type). */
    <T> T stage(String stage, Caller caller, Persona persona, Supplier<T> work) {
        long start = System.nanoTime();
        try (TraceSpan span = stage(stage, caller, persona)) {
            try {
                return work.get();
            }
            catch (RuntimeException ex) {
                span.failed(ex);
                throw ex;
            }
        }
        finally {
            timers.computeIfAbsent(stage, name -> Timer.builder("switchboard.chat.stage").description("Time of a chat turn's stage")
                    .tag("stage", name).register(meters)).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    Traces traces() {
        return traces;
    }
}
