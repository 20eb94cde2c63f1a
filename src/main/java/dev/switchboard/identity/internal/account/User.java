package dev.switchboard.identity.internal.account;

import java.time.Instant;
import java.util.UUID;

import dev.switchboard.identity.Role;

/**
 * A user as stored, without the password hash.
 *
 * @param tier the metering tier an admin gave the user, or null for {@code switchboard.metering.default-tier}
 */
public record User(UUID id, UUID tenantId, String email, Role role, String tier, boolean disabled, Instant createdAt) {
}
