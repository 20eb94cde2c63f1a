package dev.switchboard.identity;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * Something the audit log keeps: published by the identity module for identities and access (a sign-in, failed or
 * throttled; a refresh token reused; a sign-out, sessions ended, a password changed or refused; a sign-up; an MCP
 * client's consent; a user created, changed or deleted; an API key created or revoked), and by other modules for
 * administrators' changes and data access: personas ({@code persona.*}), MCP servers ({@code mcp_server.*}), SQL
 * connections ({@code sql_connection.*}), database questions ({@code sql.asked}); provider changes arrive as
 * {@code ProviderChanged} and are recorded as {@code provider.*}. docs/operations.md "Audit log" lists every action.
 *
 * @param action what happened, e.g. {@code auth.login}, {@code auth.login_failed}, {@code key.created},
 *        {@code persona.updated}
 * @param tenantId the tenant it happened in; null for a failed sign-in with an unknown e-mail address
 * @param actorId who did it, when known
 * @param actorEmail the actor's e-mail address (or the one a failed sign-in gave)
 * @param address the client address, as resolved from trusted proxies
 * @param subjectId what it was done to (a user, a key), when not the actor
 * @param details further facts (never secrets), e.g. the old and new role
 * @param occurredAt when
 */
public record SecurityEventOccurred(String action, UUID tenantId, UUID actorId, String actorEmail, String address,
        UUID subjectId, Map<String, Object> details, Instant occurredAt) {
}
