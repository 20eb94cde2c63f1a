package dev.switchboard.shared;

import java.util.UUID;

import jakarta.servlet.ServletRequest;

/**
 * Who made a request, for the HTTP access log ({@code switchboard.access}): the module that authenticates the caller
 * records the ids here, and the access log line written when the response completes carries them. Only ids: never an
 * e-mail address, a name or a credential.
 */
public final class AccessLog {

    /** The request attribute holding the caller's tenant id. */
    public static final String TENANT_ATTRIBUTE = AccessLog.class.getName() + ".tenant";

    /** The request attribute holding the caller's user id. */
    public static final String USER_ATTRIBUTE = AccessLog.class.getName() + ".user";

    /** The request attribute holding the id of the API key the caller used, if one. */
    public static final String API_KEY_ATTRIBUTE = AccessLog.class.getName() + ".apiKey";

    private AccessLog() {
    }

    /** Records the authenticated caller of {@code request}; {@code apiKeyId} is null for a session or OAuth token. */
    public static void identify(ServletRequest request, UUID tenantId, UUID userId, UUID apiKeyId) {
        request.setAttribute(TENANT_ATTRIBUTE, tenantId);
        request.setAttribute(USER_ATTRIBUTE, userId);
        if (apiKeyId != null) {
            request.setAttribute(API_KEY_ATTRIBUTE, apiKeyId);
        }
    }
}
