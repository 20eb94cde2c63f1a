package dev.switchboard.chat.internal.history;

import java.time.Instant;
import java.util.UUID;

/** A conversation of one user with one persona. */
public record ChatSession(UUID id, UUID userId, UUID personaId, String title, Instant createdAt, Instant lastActivityAt,
        Instant expiresAt, String summary, long summaryThrough) {

    public boolean expiredAt(Instant now) {
        return !expiresAt.isAfter(now);
    }
}
