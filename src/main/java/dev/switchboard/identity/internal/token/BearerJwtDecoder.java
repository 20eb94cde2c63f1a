package dev.switchboard.identity.internal.token;

import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;

import javax.crypto.SecretKey;

import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTParser;

/**
 * Decodes the two kinds of JWT bearer token by their signature algorithm: a user's own access token (HS256 under
 * {@code switchboard.security.jwt-secret}, issuer {@code switchboard}) or an OAuth access token of the authorization
 * server (RS256 under its signing key, naming its client and tenant). Each kind is verified only with its own key, so
 * neither can pass for the other.
 */
public final class BearerJwtDecoder implements JwtDecoder {

    private final JwtDecoder sessions;
    private final JwtDecoder oauth;

    public BearerJwtDecoder(SecretKey sessionKey, RSAPublicKey oauthKey) {
        NimbusJwtDecoder session = NimbusJwtDecoder.withSecretKey(sessionKey).macAlgorithm(MacAlgorithm.HS256).build();
        session.setJwtValidator(JwtValidators.createDefaultWithIssuer(AccessTokens.ISSUER));
        this.sessions = session;
        NimbusJwtDecoder client = NimbusJwtDecoder.withPublicKey(oauthKey).signatureAlgorithm(SignatureAlgorithm.RS256).build();
        OAuth2TokenValidator<Jwt> claims = new DelegatingOAuth2TokenValidator<>(JwtValidators.createDefault(),
                new JwtClaimValidator<Object>(OAuthAccessTokenClaims.CLIENT_CLAIM, value -> value instanceof String),
                new JwtClaimValidator<Object>(AccessTokens.TENANT_CLAIM, value -> value instanceof String));
        client.setJwtValidator(claims);
        this.oauth = client;
    }

    /** The decoder of users' own access tokens only: what a browser session cookie may hold. */
    public JwtDecoder sessions() {
        return sessions;
    }

    @Override
    public Jwt decode(String token) throws JwtException {
        JWSAlgorithm algorithm;
        try {
            algorithm = (JWSAlgorithm) JWTParser.parse(token).getHeader().getAlgorithm();
        }
        catch (ParseException | ClassCastException ex) {
            throw new BadJwtException("The access token is malformed", ex);
        }
        return JWSAlgorithm.RS256.equals(algorithm) ? oauth.decode(token) : sessions.decode(token);
    }
}
