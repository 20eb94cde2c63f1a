package dev.switchboard.chat.internal.turn;

import java.util.function.Supplier;

import org.springframework.stereotype.Component;

import dev.switchboard.identity.Caller;
import dev.switchboard.persona.Persona;
import dev.switchboard.shared.TraceAttributes;
import dev.switchboard.shared.TraceSpan;
import dev.switchboard.shared.Traces;

/**
 * The spans of a turn's stages ({@code chat.session}, {@code chat.retrieve}, {@code chat.history}, {@code chat.assemble},
 * {@code chat.generate}, {@code chat.tools}, {@code chat.citations}, {@code chat.persist}, {@code chat.summarise}), each
 * tagged with the tenant and the persona, so that a trace shows where a turn's time went.
 */
@Component
class TurnSpans {

    private final Traces traces;

    TurnSpans(Traces traces) {
        this.traces = traces;
    }

    /** Opens the span of one stage; close it when the stage is done. */
    TraceSpan stage(String stage, Caller caller, Persona persona) {
        return traces.start("chat." + stage)
                .tag(TraceAttributes.TENANT, caller.tenantId().toString())
                .tag(TraceAttributes.PERSONA, persona.id().toString());
    }

    /** Runs one stage in its span; a stage that throws marks its span failed (with the exception's type). */
    <T> T stage(String stage, Caller caller, Persona persona, Supplier<T> work) {
        try (TraceSpan span = stage(stage, caller, persona)) {
            try {
                return work.get();
            }
            catch (RuntimeException ex) {
                span.failed(ex);
                throw ex;
            }
        }
    }

    Traces traces() {
        return traces;
    }
}
