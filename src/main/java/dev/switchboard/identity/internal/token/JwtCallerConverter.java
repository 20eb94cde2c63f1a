package dev.switchboard.identity.internal.token;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.stereotype.Component;

import dev.switchboard.identity.Caller;
import dev.switchboard.identity.Scopes;

/**
 * Turns a validly signed JWT into a {@link Caller} — after checking with the database that the user still
 * exists, is enabled, belongs to the token's tenant, that the tenant is not deleted and that the token
 * predates no logout. Roles come from the database, not the token, so a demotion applies at once.
 *
 * <p>Two kinds of token arrive here: the user's own access token (sign-in; every scope) and an OAuth access token a
 * client obtained for the user through the authorization server (it names its client in {@code client_id}). The
 * latter carries only {@code mcp}, if it was granted: it works where an API key with
 * just that scope works, and nowhere else.
 */
@Component
public class JwtCallerConverter implements Converter<Jwt, AbstractAuthenticationToken> {

    private final PrincipalLookup principals;

    JwtCallerConverter(PrincipalLookup principals) {
        this.principals = principals;
    }

    @Override
    public AbstractAuthenticationToken convert(Jwt jwt) {
        UUID userId = uuid(jwt.getSubject());
        UUID tenantId = uuid(jwt.getClaimAsString(AccessTokens.TENANT_CLAIM));
        Principal principal = principals.find(userId)
                .filter(Principal::active)
                .filter(p -> Objects.equals(p.tenantId(), tenantId))
                .filter(p -> !p.revokedBefore(issuedAt(jwt)))
                .orElseThrow(() -> new InvalidBearerTokenException("The access token is no longer valid"));
        boolean oauth = jwt.hasClaim(OAuthAccessTokenClaims.CLIENT_CLAIM);
        Caller caller = new Caller(userId, tenantId, principal.email(), principal.role(), oauth ? grantedScopes(jwt) : Scopes.ALL,
                null, principal.tier(), principal.tier());
        return new CallerAuthentication(caller, jwt, oauth ? CallerAuthentication.Method.OAUTH : CallerAuthentication.Method.SESSION);
    }

    /**
     * The scopes an OAuth token was granted, of those OAuth may grant: {@code mcp} alone. Clients can register for
     * nothing else; this keeps it so should a token ever say more.
     */
    private static Set<String> grantedScopes(Jwt jwt) {
        List<String> granted = jwt.hasClaim("scope") ? jwt.getClaimAsStringList("scope") : List.of();
        return granted.stream().filter(Scopes.MCP::equals).collect(Collectors.toUnmodifiableSet());
    }

    private static Instant issuedAt(Jwt jwt) {
        Object millis = jwt.getClaim(AccessTokens.ISSUED_MILLIS_CLAIM);
        return millis instanceof Number number ? Instant.ofEpochMilli(number.longValue()) : jwt.getIssuedAt();
    }

    private static UUID uuid(String value) {
        try {
            return UUID.fromString(value);
        }
        catch (IllegalArgumentException | NullPointerException ex) {
            throw new InvalidBearerTokenException("The access token is malformed");
        }
    }
}
