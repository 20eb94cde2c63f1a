package dev.switchboard.identity.internal;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Accounts and tokens.
 *
 * @param signupEnabled whether {@code POST /api/auth/signup} may create new tenants
 * @param accessTokenTtl lifetime of a JWT access token
 * @param refreshTokenTtl lifetime of a refresh token (each use replaces it)
 * @param password the password rules
 * @param passwordHashing how many password hashes may run at once, and how long a request waits for a slot
 * @param maxKeysPerUser live (unrevoked, unexpired) API keys a user may have; creating one more is refused (409)
 * @param oauth the OAuth 2.1 authorization server of MCP remote connectors
 */
@Validated
@ConfigurationProperties("switchboard.identity")
public record IdentityProperties(
        @DefaultValue("false") boolean signupEnabled,
        @NotNull @DefaultValue("PT15M") Duration accessTokenTtl,
        @NotNull @DefaultValue("P30D") Duration refreshTokenTtl,
        @Valid @NotNull @DefaultValue Password password,
        @Valid @NotNull @DefaultValue PasswordHashing passwordHashing,
        @Min(1) @DefaultValue("20") int maxKeysPerUser,
        @Valid @NotNull @DefaultValue OAuth oauth) {

    public IdentityProperties {
        if (accessTokenTtl.isNegative() || accessTokenTtl.isZero() || refreshTokenTtl.isNegative()
                || refreshTokenTtl.isZero()) {
            throw new IllegalArgumentException("switchboard.identity token lifetimes must be positive");
        }
    }

    /**
     * @param minLength shortest accepted password (at least 12)
     * @param argon2MemoryKib Argon2id memory cost in KiB
     * @param argon2Iterations Argon2id iterations
     */
    public record Password(
            @DefaultValue("12") int minLength,
            @DefaultValue("12288") int argon2MemoryKib,
            @DefaultValue("3") int argon2Iterations) {

        public Password {
            if (minLength < 12) {
                throw new IllegalArgumentException("switchboard.identity.password.min-length must be at least 12");
            }
            if (argon2MemoryKib < 8192 || argon2Iterations < 1) {
                throw new IllegalArgumentException("switchboard.identity.password Argon2 costs are below the safe minimum "
                        + "(memory 8192 KiB, 1 iteration)");
            }
        }
    }

    /**
     * Sign-in CPU: each password check is one Argon2id hash (about 30 ms of one core at the default cost, 12 MiB of
     * heap). Bounding them keeps a burst of sign-ins from starving every other request of the cores.
     *
     * @param maxConcurrent hashes allowed to run at once; 0 (the default) means one per available processor
     * @param maxWait how long a request waits for a free slot before it is refused with 503 and {@code Retry-After}
     */
    public record PasswordHashing(
            @Min(0) @DefaultValue("0") int maxConcurrent,
            @NotNull @DefaultValue("PT5S") Duration maxWait) {

        public PasswordHashing {
            if (maxWait.isNegative()) {
                throw new IllegalArgumentException("switchboard.identity.password-hashing.max-wait must not be negative");
            }
        }

        /** The configured slots, or one per available processor. */
        public int slots() {
            return maxConcurrent > 0 ? maxConcurrent : Runtime.getRuntime().availableProcessors();
        }
    }

    /**
     * The authorization server MCP clients sign their users in with (authorization code + PKCE, dynamic client
     * registration).
     *
     * @param signingKey the RSA private key (PEM, PKCS#8: {@code -----BEGIN PRIVATE KEY-----}) that signs OAuth access
     *        tokens, from the environment ({@code SWITCHBOARD_IDENTITY_OAUTH_SIGNING_KEY}); empty to use
     *        {@code signingKeyFile}
     * @param signingKeyFile a file holding that key (a mounted secret); with neither, a development key is generated
     *        under the data directory, which the {@code prod} profile refuses
     * @param accessTokenTtl lifetime of an OAuth access token (each request still checks the user)
     * @param refreshTokenTtl lifetime of an OAuth refresh token (each use replaces it)
     * @param maxClients registered clients kept at most; registration is refused beyond (unused ones are purged)
     */
    public record OAuth(
            @NotNull @DefaultValue("") String signingKey,
            @NotNull @DefaultValue("") String signingKeyFile,
            @NotNull @DefaultValue("PT1H") Duration accessTokenTtl,
            @NotNull @DefaultValue("P30D") Duration refreshTokenTtl,
            @Min(1) @DefaultValue("10000") int maxClients) {

        public OAuth {
            if (accessTokenTtl.isNegative() || accessTokenTtl.isZero() || refreshTokenTtl.isNegative() || refreshTokenTtl.isZero()) {
                throw new IllegalArgumentException("switchboard.identity.oauth token lifetimes must be positive");
            }
        }

        /** Whether the operator named a signing key (else the development key is used). */
        public boolean signingKeyConfigured() {
            return !signingKey.isBlank() || !signingKeyFile.isBlank();
        }
    }
}
