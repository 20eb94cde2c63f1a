package dev.switchboard.identity.internal.token;

import java.time.Instant;
import java.util.UUID;

import dev.switchboard.identity.Role;

/** What the database says now about the user behind a credential. */
record Principal(UUID userId, UUID tenantId, String email, Role role, boolean disabled, boolean tenantActive,
        Instant sessionsRevokedAt, String tier) {

    boolean active() {
        return !disabled && tenantActive;
    }

    /** Whether a token issued at {@code issuedAt} predates a logout or revocation. */
    boolean revokedBefore(Instant issuedAt) {
        return sessionsRevokedAt != null && issuedAt != null && !issuedAt.isAfter(sessionsRevokedAt);
    }
}
