package dev.switchboard.identity.internal.web;

import java.time.Instant;
import java.util.UUID;

import dev.switchboard.identity.internal.account.User;

/** A user as the API shows it; tier null means {@code switchboard.metering.default-tier}. */
record UserView(UUID id, String email, String role, String tier, boolean disabled, Instant createdAt) {

    static UserView of(User user) {
        return new UserView(user.id(), user.email(), user.role().name(), user.tier(), user.disabled(), user.createdAt());
    }
}
