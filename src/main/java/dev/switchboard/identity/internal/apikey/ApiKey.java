package dev.switchboard.identity.internal.apikey;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** An API key as its owner and admins see it: never the secret, only its public prefix. */
public record ApiKey(UUID id, UUID userId, String name, String prefix, String tier, List<String> scopes,
        Instant expiresAt, Instant createdAt, Instant revokedAt) {
}
