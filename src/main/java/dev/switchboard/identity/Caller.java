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
 * @param tier the rate-limit tier the key names, or null for the default tier
 */
public record Caller(UUID userId, UUID tenantId, String email, Role role, Set<String> scopes, UUID apiKeyId, String tier) {

    public boolean isAdmin() {
        return role == Role.ADMIN;
    }
}
