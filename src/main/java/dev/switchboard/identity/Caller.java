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
 */
public record Caller(UUID userId, UUID tenantId, String email, Role role, Set<String> scopes) {

    public boolean isAdmin() {
        return role == Role.ADMIN;
    }
}
