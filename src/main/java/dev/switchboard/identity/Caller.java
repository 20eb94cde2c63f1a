package dev.switchboard.identity;

import java.util.Set;
import java.util.UUID;

/**
 * Who is calling: an authenticated user of a tenant, through a token or (later) an API key.
 *
 * @param userId the user, or the owner of the API key
 * @param tenantId the user's tenant
 * @param email the user's e-mail address
 * @param role the user's role
 * @param scopes what the credential may do; a user's token may do everything its role allows
 * @param apiKeyId the API key used, or null for a user's session
 * @param tier the metering tier of the credential: an admin's key may name its own, every other key and every
 *        session has the user's; null for the default tier
 * @param userTier the user's metering tier (set by an admin), or null for the default tier: request rates and
 *        token quotas apply per user at this tier as well as per key, so that many keys do not multiply them
 */
public record Caller(UUID userId, UUID tenantId, String email, Role role, Set<String> scopes, UUID apiKeyId, String tier,
        String userTier) {

    /**
     * Whether the caller acts as an admin: the user has the ADMIN role and the credential carries the
     * {@link Scopes#ADMIN admin} scope (a session always does; an admin's chat-only key does not). The one rule
     * every admin check uses; the role alone never grants admin rights.
     */
    public boolean actsAsAdmin() {
        return role == Role.ADMIN && scopes.contains(Scopes.ADMIN);
    }

    /** Whether the credential carries {@code scope}. */
    public boolean has(String scope) {
        return scopes.contains(scope);
    }
}
