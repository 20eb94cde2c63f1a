package dev.switchboard.identity.internal.account;

import java.time.Instant;
import java.util.UUID;

import dev.switchboard.identity.Role;

/** A user as stored, without the password hash. */
public record User(UUID id, UUID tenantId, String email, Role role, boolean disabled, Instant createdAt) {
}
