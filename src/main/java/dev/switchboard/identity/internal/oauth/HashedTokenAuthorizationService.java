package dev.switchboard.identity.internal.oauth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.function.UnaryOperator;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.JdbcOAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationCode;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

/**
 * Spring Security's JDBC authorization service, storing codes, access tokens and refresh tokens as their SHA-256
 * ({@code sha256:} + base64url) instead of themselves, as Switchboard stores API keys and its own refresh tokens: a
 * copy of the table lets nobody act as a user. A presented value is hashed to find its row, and the authorization
 * found carries the presented value again in place of its hash, so Spring's code compares and invalidates it as
 * usual. The {@code state} of a pending consent (short-lived, bound to the user) is stored as it is.
 */
final class HashedTokenAuthorizationService extends JdbcOAuth2AuthorizationService {

    private static final OAuth2TokenType STATE = new OAuth2TokenType(OAuth2ParameterNames.STATE);

    static final String PREFIX = "sha256:";

    HashedTokenAuthorizationService(JdbcOperations jdbc, RegisteredClientRepository clients) {
        super(jdbc, clients);
    }

    @Override
    public void save(OAuth2Authorization authorization) {
        super.save(replaceTokens(authorization, value -> value.startsWith(PREFIX) ? value : hash(value)));
    }

    @Override
    public @Nullable OAuth2Authorization findByToken(String token, @Nullable OAuth2TokenType tokenType) {
        if (STATE.equals(tokenType)) {
            return super.findByToken(token, tokenType);
        }
        String hashed = hash(token);
        OAuth2Authorization found = super.findByToken(hashed, tokenType);
        if (found != null) {
            return replaceTokens(found, value -> value.equals(hashed) ? token : value);
        }
        return tokenType == null ? super.findByToken(token, STATE) : null;
    }

    /** The authorization with the values of its code, access token and refresh token mapped. */
    private static OAuth2Authorization replaceTokens(OAuth2Authorization authorization, UnaryOperator<String> value) {
        OAuth2Authorization.Builder builder = OAuth2Authorization.from(authorization);
        OAuth2Authorization.Token<OAuth2AuthorizationCode> code = authorization.getToken(OAuth2AuthorizationCode.class);
        if (code != null) {
            OAuth2AuthorizationCode token = code.getToken();
            put(builder, code, new OAuth2AuthorizationCode(value.apply(token.getTokenValue()), token.getIssuedAt(), token.getExpiresAt()));
        }
        OAuth2Authorization.Token<OAuth2AccessToken> access = authorization.getAccessToken();
        if (access != null) {
            OAuth2AccessToken token = access.getToken();
            put(builder, access, new OAuth2AccessToken(token.getTokenType(), value.apply(token.getTokenValue()), token.getIssuedAt(),
                    token.getExpiresAt(), token.getScopes()));
        }
        OAuth2Authorization.Token<OAuth2RefreshToken> refresh = authorization.getRefreshToken();
        if (refresh != null) {
            OAuth2RefreshToken token = refresh.getToken();
            put(builder, refresh, new OAuth2RefreshToken(value.apply(token.getTokenValue()), token.getIssuedAt(), token.getExpiresAt()));
        }
        return builder.build();
    }

    private static <T extends OAuth2Token> void put(OAuth2Authorization.Builder builder, OAuth2Authorization.Token<T> original,
            T replacement) {
        builder.token(replacement, metadata -> metadata.putAll(original.getMetadata()));
    }

    static String hash(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
