package dev.switchboard.identity.internal.token;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.stereotype.Component;

/**
 * The claims of an OAuth access token, and the check that the user may still have one. Each time the authorization
 * server issues an access token — for a code or a refresh token — the user behind the authorization is read from the
 * database: a disabled or deleted user, a deleted tenant, or an authorization granted before the user's sessions
 * were revoked (sign out everywhere, a password change, disabling) gets {@code invalid_grant}, so refresh tokens die
 * with the user's sessions. The token carries the user (subject), the tenant and the client; {@link JwtCallerConverter}
 * compares its issue time with the user's revocation time on every request.
 */
@Component
public class OAuthAccessTokenClaims implements OAuth2TokenCustomizer<JwtEncodingContext> {

    /** The claim naming the client the token was issued to; only OAuth access tokens carry it. */
    public static final String CLIENT_CLAIM = "client_id";

    private final PrincipalLookup principals;

    OAuthAccessTokenClaims(PrincipalLookup principals) {
        this.principals = principals;
    }

    @Override
    public void customize(JwtEncodingContext context) {
        if (!OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
            return;
        }
        UUID userId = userId(context.getPrincipal().getName());
        Instant granted = grantedAt(context.getAuthorization());
        Principal principal = principals.find(userId).filter(Principal::active)
                .filter(p -> granted == null || !p.revokedBefore(granted))
                .orElseThrow(() -> refused("The user's access was revoked; sign in again."));
        // No iat_ms: the authorization stores the claims as JSON whose type checks refuse a Long. Without it the
        // revocation check compares iat, whole seconds at or before the issue: it errs only by refusing a token
        // issued in the very second of a revocation.
        context.getClaims()
                .claim(AccessTokens.TENANT_CLAIM, principal.tenantId().toString())
                .claim(CLIENT_CLAIM, context.getRegisteredClient().getClientId());
    }

    /** When the user granted the authorization: the issue time of its code (kept, invalidated, after the exchange). */
    private static Instant grantedAt(OAuth2Authorization authorization) {
        return Optional.ofNullable(authorization)
                .map(a -> a.getToken(org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationCode.class))
                .map(token -> token.getToken().getIssuedAt()).orElse(null);
    }

    private static UUID userId(String name) {
        try {
            return UUID.fromString(name);
        }
        catch (IllegalArgumentException ex) {
            throw refused("The authorization has no user.");
        }
    }

    private static OAuth2AuthenticationException refused(String description) {
        return new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_GRANT, description, null),
                OAuth2ParameterNames.ACCESS_TOKEN);
    }
}
