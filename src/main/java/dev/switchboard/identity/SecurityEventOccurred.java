package dev.switchboard.identity;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * Something happened to identities or access that the audit log keeps: a sign-in (or a failed one), a
 * sign-up, a user created, changed or deleted, an API key created or revoked, a sign-out.
 *
 * @param action what happened, e.g. {@code auth.login}, {@code auth.login_failed}, {@code key.created}
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
