package dev.switchboard.identity.internal;

import java.nio.charset.StandardCharsets;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * HTTP security settings.
 *
 * @param jwtSecret HMAC key that signs access tokens, at least 32 bytes; the {@code prod} profile refuses
 *        the development default
 * @param requireHttps redirect plain-HTTP requests to HTTPS (health probes excepted); on under {@code prod}
 * @param plainHttpReason why a {@code prod} deployment serves plain HTTP: required there to switch {@code requireHttps}
 *        off, and logged at start-up
 * @param httpsPort the port HTTPS clients use, for those redirects (443 behind a TLS-terminating proxy)
 * @param contentSecurityPolicy the {@code Content-Security-Policy} header of every response
 * @param cors cross-origin access for browser apps served from other origins
 */
@Validated
@ConfigurationProperties("switchboard.security")
public record SecurityProperties(
        @NotBlank @DefaultValue(DEVELOPMENT_JWT_SECRET) String jwtSecret,
        @DefaultValue("false") boolean requireHttps,
        @DefaultValue("") String plainHttpReason,
        @Min(1) @Max(65535) @DefaultValue("443") int httpsPort,
        @NotBlank @DefaultValue(DEFAULT_CSP) String contentSecurityPolicy,
        @Valid @NotNull @DefaultValue Cors cors) {

    /** Signs development tokens only; {@code prod} refuses to start with it. */
    public static final String DEVELOPMENT_JWT_SECRET = "switchboard-development-only-jwt-secret-do-not-use";

    static final String DEFAULT_CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
            + "form-action 'self'; frame-ancestors 'none'";

    public SecurityProperties {
        if (jwtSecret != null && jwtSecret.getBytes(StandardCharsets.UTF_8).length < 32) {
            throw new IllegalArgumentException(
                    "switchboard.security.jwt-secret must be at least 32 bytes; generate one with: openssl rand -base64 48");
        }
    }

    /**
     * @param allowedOrigins origins (scheme://host[:port]) allowed to call the API from a browser; empty
     *        allows none. {@code *} is refused: credentials travel with these requests.
     */
    public record Cors(@NotNull @DefaultValue List<String> allowedOrigins) {

        public Cors {
            if (allowedOrigins.stream().anyMatch(origin -> origin.contains("*"))) {
                throw new IllegalArgumentException("switchboard.security.cors.allowed-origins must list exact "
                        + "origins such as https://app.example.com; wildcards are not allowed");
            }
        }
    }
}
