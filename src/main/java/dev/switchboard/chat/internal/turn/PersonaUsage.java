package dev.switchboard.chat.internal.turn;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import dev.switchboard.chat.ChatTurnCompleted;
import dev.switchboard.metering.UsageRecorder;

/**
 * Counts every chat turn against its persona for the usage report ({@code GET /api/usage?groupBy=persona}); a turn
 * no target answered counts as failed. The recorder only adds to counters in memory, so the turn waits for nothing.
 */
@Component
class PersonaUsage {

    private final UsageRecorder usage;

    PersonaUsage(UsageRecorder usage) {
        this.usage = usage;
    }

    @EventListener
    void on(ChatTurnCompleted turn) {
        usage.personaTurn(turn.tenantId(), turn.personaId(), TurnStatus.FAILED.label().equals(turn.status()), turn.tokensIn(),
                turn.tokensOut());
    }
}
