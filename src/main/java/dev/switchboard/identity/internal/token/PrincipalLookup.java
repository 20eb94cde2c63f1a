package dev.switchboard.identity.internal.token;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import dev.switchboard.identity.Role;

/**
 * Looks up the user behind a credential across tenants (through the database function
 * {@code switchboard_principal}), so that a disabled user, a deleted tenant or a logout takes effect on the
 * very next request.
 */
@Component
class PrincipalLookup {

    private final JdbcClient jdbc;

    PrincipalLookup(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<Principal> find(UUID userId) {
        return jdbc.sql("select * from switchboard_principal(:id)").param("id", userId)
                .query((rs, n) -> new Principal(userId, rs.getObject("tenant_id", UUID.class), rs.getString("email"),
                        Role.valueOf(rs.getString("role")), rs.getBoolean("disabled"), rs.getBoolean("tenant_active"),
                        instant(rs.getTimestamp("sessions_revoked_at")), rs.getString("tier")))
                .optional();
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
