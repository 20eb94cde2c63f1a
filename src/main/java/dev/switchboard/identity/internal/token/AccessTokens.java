package dev.switchboard.identity.internal.token;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.stereotype.Component;

import dev.switchboard.identity.internal.IdentityProperties;

/** Issues JWT access tokens: subject = user id, with tenant, roles and a token id, signed HS256. */
@Component
public class AccessTokens {

    public static final String ISSUER = "switchboard";
    static final String TENANT_CLAIM = "tenant";
    static final String ROLES_CLAIM = "roles";
    /** Issue time in milliseconds: {@code iat} has whole seconds, too coarse to order a token against a logout. */
    static final String ISSUED_MILLIS_CLAIM = "iat_ms";

    private final JwtEncoder encoder;
    private final IdentityProperties properties;
    private final Clock clock;

    AccessTokens(JwtEncoder encoder, IdentityProperties properties, Clock clock) {
        this.encoder = encoder;
        this.properties = properties;
        this.clock = clock;
    }

    /** An access token for the user, valid for {@code switchboard.identity.access-token-ttl}. */
    public String issue(UUID userId, UUID tenantId, String role) {
        Instant now = clock.instant();
        JwtClaimsSet claims = JwtClaimsSet.builder()
                .issuer(ISSUER)
                .subject(userId.toString())
                .id(UUID.randomUUID().toString())
                .issuedAt(now)
                .expiresAt(now.plus(properties.accessTokenTtl()))
                .claim(TENANT_CLAIM, tenantId.toString())
                .claim(ROLES_CLAIM, List.of(role))
                .claim(ISSUED_MILLIS_CLAIM, now.toEpochMilli())
                .build();
        return encoder.encode(JwtEncoderParameters.from(JwsHeader.with(MacAlgorithm.HS256).build(), claims))
                .getTokenValue();
    }

    public long ttlSeconds() {
        return properties.accessTokenTtl().toSeconds();
    }
}
