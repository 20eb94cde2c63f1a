package dev.switchboard.chat;

import java.util.UUID;

/**
 * A chat turn ended. {@code status} says how: {@code complete}, {@code incomplete} (a broken stream),
 * {@code failed} (no target answered), {@code client_gone} (the client left mid-stream; what it saw is stored) or
 * {@code unsaved} (answered, but the history could not be written). The tokens are those of every model call of the
 * turn (tool steps included).
 */
public record ChatTurnCompleted(UUID tenantId, UUID userId, UUID sessionId, UUID personaId, int personaVersion, String target,
        String status, long tokensIn, long tokensOut) {
}
