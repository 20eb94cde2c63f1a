package dev.switchboard.chat;

import java.util.UUID;

/**
 * A chat turn was stored (published after its transaction committed). {@code status} is the answer's:
 * {@code complete}, {@code incomplete} (a broken stream) or {@code failed} (no target answered).
 */
public record ChatTurnCompleted(UUID tenantId, UUID userId, UUID sessionId, UUID personaId, int personaVersion, String target,
        String status, long tokensIn, long tokensOut) {
}
