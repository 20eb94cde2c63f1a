package dev.switchboard.identity.internal.web;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.PortMapper;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import dev.switchboard.identity.internal.IdentityProperties;
import dev.switchboard.identity.internal.SecurityProperties;
import dev.switchboard.identity.internal.apikey.ApiKeyAuthenticationFilter;
import dev.switchboard.identity.internal.apikey.ApiKeys;
import dev.switchboard.identity.internal.password.BoundedPasswordEncoder;
import dev.switchboard.identity.internal.password.PasswordHashingSlots;
import dev.switchboard.identity.internal.token.BearerJwtDecoder;
import dev.switchboard.identity.internal.token.JwtCallerConverter;
import dev.switchboard.shared.ProblemResponder;
import io.micrometer.core.instrument.MeterRegistry;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.security.SecurityScheme;

/**
 * The Spring Security filter chain: stateless, JWT bearer tokens, problem+json for 401/403, the caller's
 * tenant made current after authentication. Security headers and CORS are servlet filters ahead of it (see
 * {@link SecurityHeadersConfiguration}, {@link CorsConfiguration}).
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
@EnableMethodSecurity
class WebSecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(WebSecurityConfiguration.class);

    static final RequestMatcher API = new OrRequestMatcher(PathPatternRequestMatcher.withDefaults().matcher("/api/**"),
            PathPatternRequestMatcher.withDefaults().matcher("/v1/**"));

    /** Requests that are not the web app's pages: the API, and static files (which need no user). */
    static final RequestMatcher NOT_PAGES = new OrRequestMatcher(API, PathPatternRequestMatcher.withDefaults().matcher("/app/**"),
            PathPatternRequestMatcher.withDefaults().matcher("/webjars/**"), PathPatternRequestMatcher.withDefaults().matcher("/oauth/**"),
            PathPatternRequestMatcher.withDefaults().matcher("/favicon.ico"));

    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http, SecurityProperties properties,
            JwtCallerConverter callers, BearerJwtDecoder decoder, ApiKeys apiKeys, ProblemResponder problems) throws Exception {
        ProblemSecurityHandlers handlers = new ProblemSecurityHandlers(problems);
        DefaultBearerTokenResolver defaultResolver = new DefaultBearerTokenResolver();
        // Only the API takes user credentials; /metrics has its own bearer token, checked by ops.
        // API keys (sb_...) are the ApiKeyAuthenticationFilter's, never decoded as JWTs.
        BearerTokenResolver bearerTokens = request -> {
            if (!API.matches(request) || ApiKeyAuthenticationFilter.presentedKey(request) != null) {
                return null;
            }
            String header = defaultResolver.resolve(request);
            // Browsers send the access token in the session cookie instead.
            return header != null ? header : BrowserSessions.cookie(request, BrowserSessions.ACCESS_COOKIE).orElse(null);
        };
        // CSRF is checked by CookieCsrfFilter, for cookie-authenticated requests only.
        http.csrf(csrf -> csrf.disable())
                .headers(headers -> headers.disable())
                .cors(cors -> cors.disable())
                .httpBasic(basic -> basic.disable())
                .formLogin(form -> form.disable())
                .logout(logout -> logout.disable())
                .requestCache(cache -> cache.disable())
                .anonymous(anonymous -> {})
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .oauth2ResourceServer(resource -> resource
                        .bearerTokenResolver(bearerTokens)
                        .authenticationEntryPoint(handlers)
                        .accessDeniedHandler(handlers)
                        .protectedResourceMetadata(metadata -> metadata.protectedResourceMetadataCustomizer(new ResourceMetadata()))
                        .jwt(jwt -> jwt.decoder(decoder).jwtAuthenticationConverter(callers)))
                .exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(handlers).accessDeniedHandler(handlers))
                .addFilterBefore(new ApiKeyAuthenticationFilter(apiKeys, API, handlers), BearerTokenAuthenticationFilter.class)
                // The web app's pages: the session cookie's user, or anonymous (never a refusal).
                .addFilterAfter(new PageSessionFilter(decoder.sessions(), callers, NOT_PAGES), BearerTokenAuthenticationFilter.class)
                // After authentication: whether the session cookie is what authenticated decides whether CSRF applies.
                .addFilterAfter(new CookieCsrfFilter(handlers), BearerTokenAuthenticationFilter.class)
                .addFilterAfter(new TenantContextFilter(), AuthorizationFilter.class)
                .authorizeHttpRequests(ApiAreas::authorize);
        if (!properties.requireHttps() && !properties.plainHttpReason().isBlank()) {
            log.warn("Plain HTTP is served without a redirect to HTTPS (switchboard.security.require-https=false): {}",
                    properties.plainHttpReason());
        }
        if (properties.requireHttps()) {
            int httpsPort = properties.httpsPort();
            http.portMapper(ports -> ports.portMapper(new PortMapper() {
                @Override
                public Integer lookupHttpPort(Integer httpsPortOfRequest) {
                    return null;
                }

                @Override
                public Integer lookupHttpsPort(Integer httpPort) {
                    return httpsPort;
                }
            }));
            // Probes and the Prometheus scrape reach the pod over plain HTTP, inside the cluster, not through the TLS
            // proxy (/metrics answers only loopback or its bearer token); everything else goes to HTTPS.
            http.redirectToHttps(https -> https.requestMatchers(new NegatedRequestMatcher(new OrRequestMatcher(
                    PathPatternRequestMatcher.withDefaults().matcher("/health/**"),
                    PathPatternRequestMatcher.withDefaults().matcher("/metrics")))));
        }
        return http.build();
    }

    /**
     * Spring Security's own observations off: with an observation registry it wraps every filter of every chain (this
     * one and the authorization server's) and each authentication and authorization in an observation, on every request
     * whether or not a trace is exported; in a profile of document uploads that was 9 % of the request threads' samples.
     * The HTTP server's observation (its span and {@code http.server.requests}) covers the request; a refused request's
     * reason is in the access log and the audit log.
     */
    @Bean
    SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    CookieCsrfTokenRepository csrfTokenRepository() {
        return BrowserSessions.csrfRepository();
    }

    @Bean
    SecretKey jwtSigningKey(SecurityProperties properties) {
        return new SecretKeySpec(properties.jwtSecret().getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    @Bean
    JwtEncoder jwtEncoder(SecretKey jwtSigningKey) {
        return new NimbusJwtEncoder(new ImmutableSecret<>(jwtSigningKey));
    }

    /** Users' own access tokens (HS256) and the authorization server's OAuth access tokens (RS256). */
    @Bean
    BearerJwtDecoder jwtDecoder(SecretKey jwtSigningKey, RSAKey oauthSigningKey) throws JOSEException {
        return new BearerJwtDecoder(jwtSigningKey, oauthSigningKey.toRSAPublicKey());
    }

    @Bean
    PasswordHashingSlots passwordHashingSlots(IdentityProperties properties, Clock clock, MeterRegistry meters) {
        IdentityProperties.PasswordHashing hashing = properties.passwordHashing();
        return new PasswordHashingSlots(hashing.slots(), hashing.maxWait(), clock, meters);
    }

    /**
     * Argon2id (OWASP parameters by default); bcrypt hashes are still verified should any be imported. Every hash runs
     * in a slot of {@link PasswordHashingSlots}.
     */
    @Bean
    PasswordEncoder passwordEncoder(IdentityProperties properties, PasswordHashingSlots slots) {
        IdentityProperties.Password cost = properties.password();
        Argon2PasswordEncoder argon2 = new Argon2PasswordEncoder(16, 32, 1, cost.argon2MemoryKib(), cost.argon2Iterations());
        return new BoundedPasswordEncoder(new DelegatingPasswordEncoder("argon2", Map.of("argon2", argon2, "bcrypt",
                new BCryptPasswordEncoder())), slots);
    }

    @Bean
    OpenApiCustomizer bearerSecurityScheme() {
        return openApi -> {
            if (openApi.getComponents() == null) {
                openApi.setComponents(new Components());
            }
            openApi.getComponents().addSecuritySchemes("bearer", new SecurityScheme().type(SecurityScheme.Type.HTTP)
                    .scheme("bearer").bearerFormat("JWT or sb_ API key")
                    .description("An access token from POST /api/auth/login, or an API key."));
        };
    }
}
