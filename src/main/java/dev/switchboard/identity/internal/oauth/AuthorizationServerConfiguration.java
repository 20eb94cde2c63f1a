package dev.switchboard.identity.internal.oauth;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.server.authorization.JdbcOAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientRegistrationAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.token.DelegatingOAuth2TokenGenerator;
import org.springframework.security.oauth2.server.authorization.token.JwtGenerator;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.transaction.PlatformTransactionManager;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import dev.switchboard.identity.Scopes;
import dev.switchboard.identity.internal.IdentityProperties;
import dev.switchboard.identity.internal.token.BearerJwtDecoder;
import dev.switchboard.identity.internal.token.JwtCallerConverter;
import dev.switchboard.identity.internal.token.OAuthAccessTokenClaims;
import dev.switchboard.shared.DataDirectory;
import dev.switchboard.shared.PurgeFunction;
import dev.switchboard.shared.RequestPaths;
import dev.switchboard.shared.RetentionTask;

/**
 * Switchboard as the OAuth 2.1 authorization server of its own users, for MCP remote connectors (Spring Security's
 * authorization server): open dynamic client registration of public clients, the authorization code with PKCE (S256)
 * and rotating refresh tokens, RFC 8414 metadata; sign-in and consent in the browser. Clients, authorizations and
 * consents live in PostgreSQL. Access tokens are RS256 JWTs scoped {@code mcp}, naming user, tenant and client; the
 * API's resource server takes them ({@link BearerJwtDecoder}) where {@code mcp} suffices.
 *
 * <p>The filter chain here covers the authorization server's endpoints and pages only and comes before the API's; it
 * is stateless like the API (the browser's session is the {@code SB_SESSION} cookie; a pending authorization request
 * is kept by the authorization server in the database), so any replica answers any step.
 */
@Configuration(proxyBeanMethods = false)
class AuthorizationServerConfiguration {

    private static final RequestMatcher PAGES = new OrRequestMatcher(
            PathPatternRequestMatcher.withDefaults().matcher(OAuthPaths.SIGN_IN),
            PathPatternRequestMatcher.withDefaults().matcher(OAuthPaths.CONSENT));
    private static final RequestMatcher NEEDS_USER = new OrRequestMatcher(
            PathPatternRequestMatcher.withDefaults().matcher(OAuthPaths.AUTHORIZE),
            PathPatternRequestMatcher.withDefaults().matcher(OAuthPaths.CONSENT));

    @Bean
    RSAKey oauthSigningKey(IdentityProperties properties, DataDirectory dataDirectory) {
        return OAuthSigningKey.load(properties.oauth(), dataDirectory);
    }

    @Bean
    JWKSource<SecurityContext> jwkSource(RSAKey oauthSigningKey) {
        return new ImmutableJWKSet<>(new JWKSet(oauthSigningKey));
    }

    /** Spring's default endpoints; the issuer is the URL the request came to (behind a proxy: forwarded headers). */
    @Bean
    AuthorizationServerSettings authorizationServerSettings() {
        return AuthorizationServerSettings.builder().build();
    }

    @Bean
    RegisteredClients registeredClientRepository(JdbcOperations jdbc, IdentityProperties properties) {
        return new RegisteredClients(jdbc, properties.oauth());
    }

    @Bean
    OAuth2AuthorizationService authorizationService(JdbcOperations jdbc, RegisteredClientRepository clients) {
        return new HashedTokenAuthorizationService(jdbc, clients);
    }

    @Bean
    OAuth2AuthorizationConsentService authorizationConsentService(JdbcOperations jdbc, RegisteredClientRepository clients) {
        return new JdbcOAuth2AuthorizationConsentService(jdbc, clients);
    }

    @Bean
    RetentionTask oauthAuthorizationPurge(JdbcClient jdbc, PlatformTransactionManager transactions) {
        return new PurgeFunction("oauth-authorizations", "expired OAuth authorizations", "switchboard_purge_oauth_authorizations",
                jdbc, transactions);
    }

    @Bean
    RetentionTask oauthClientPurge(JdbcClient jdbc, PlatformTransactionManager transactions) {
        return new PurgeFunction("oauth-clients", "OAuth clients never authorized", "switchboard_purge_oauth_clients", jdbc,
                transactions);
    }

    @Bean
    @Order(1)
    SecurityFilterChain authorizationServerFilterChain(HttpSecurity http, RegisteredClients clients,
            OAuth2AuthorizationService authorizations, OAuth2AuthorizationConsentService consents,
            AuthorizationServerSettings settings, JWKSource<SecurityContext> jwkSource, OAuthAccessTokenClaims claims,
            BearerJwtDecoder decoder, JwtCallerConverter callers, CookieCsrfTokenRepository csrf, IdentityProperties properties,
            Clock clock) throws Exception {
        JwtGenerator accessTokens = new JwtGenerator(new NimbusJwtEncoder(jwkSource));
        accessTokens.setJwtCustomizer(claims);
        OAuth2TokenGenerator<?> tokens = new DelegatingOAuth2TokenGenerator(accessTokens, new RefreshTokenGenerator(clock));
        ClientRegistrationPolicy registration = new ClientRegistrationPolicy(clients, properties.oauth().maxClients());
        AtomicReference<RequestMatcher> endpoints = new AtomicReference<>();
        http.oauth2AuthorizationServer(server -> {
            endpoints.set(server.getEndpointsMatcher());
            server.registeredClientRepository(clients)
                    .authorizationService(authorizations)
                    .authorizationConsentService(consents)
                    .authorizationServerSettings(settings)
                    .tokenGenerator(tokens)
                    .clientAuthentication(client -> client
                            .authenticationConverters(converters -> converters.add(0, new PublicClientRefresh.Converter()))
                            .authenticationProviders(providers -> providers.add(0, new PublicClientRefresh.Provider(clients))))
                    .authorizationEndpoint(authorize -> authorize.consentPage(OAuthPaths.CONSENT)
                            .errorResponseHandler(new AuthorizationErrorResponse())
                            .authorizationRequestConverters(converters -> converters.replaceAll(DefaultMcpScope::new)))
                    .clientRegistrationEndpoint(register -> register.openRegistrationAllowed(true)
                            .authenticationProviders(providers -> providers.forEach(provider -> {
                                if (provider instanceof OAuth2ClientRegistrationAuthenticationProvider registrations) {
                                    registrations.setAuthenticationValidator(registration);
                                    registrations.setRegisteredClientConverter(registration.converter());
                                }
                            })))
                    .authorizationServerMetadataEndpoint(metadata -> metadata.authorizationServerMetadataCustomizer(document -> document
                            .grantTypes(grants -> grants.retainAll(List.of(AuthorizationGrantType.AUTHORIZATION_CODE.getValue(),
                                    AuthorizationGrantType.REFRESH_TOKEN.getValue())))
                            .tokenEndpointAuthenticationMethods(methods -> {
                                methods.clear();
                                methods.add(ClientAuthenticationMethod.NONE.getValue());
                            })
                            .responseTypes(types -> types.retainAll(List.of("code")))
                            .scopes(scopes -> {
                                scopes.clear();
                                scopes.add(Scopes.MCP);
                            })));
        });
        http.securityMatcher(new OrRequestMatcher(endpoints.get(), PAGES))
                .headers(headers -> headers.disable())
                .cors(cors -> cors.disable())
                .httpBasic(basic -> basic.disable())
                .formLogin(form -> form.disable())
                .logout(logout -> logout.disable())
                .requestCache(cache -> cache.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                // The sign-in form is protected by the SB_CSRF double-submit cookie; the authorization server exempts its
                // own endpoints (a consent is bound to its unguessable state instead).
                .csrf(protection -> protection.csrfTokenRepository(csrf))
                // Registration takes no initial access token (open registration): no bearer token is read here.
                .oauth2ResourceServer(resource -> resource.bearerTokenResolver(request -> null).jwt(jwt -> jwt.decoder(decoder)))
                .addFilterAfter(new BrowserSignInFilter(decoder.sessions(), callers), SecurityContextHolderFilter.class)
                .exceptionHandling(exceptions -> exceptions.defaultAuthenticationEntryPointFor(signIn(), NEEDS_USER))
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers(NEEDS_USER).hasAuthority(BrowserSignInFilter.USER_AUTHORITY)
                        .anyRequest().permitAll());
        return http.build();
    }

    /** A browser without a session goes to the sign-in page, and from there back to the authorization request. */
    private static AuthenticationEntryPoint signIn() {
        return (HttpServletRequest request, HttpServletResponse response, AuthenticationException ex) -> {
            String query = request.getQueryString();
            String next = OAuthPaths.AUTHORIZE.equals(RequestPaths.of(request)) && query != null ? OAuthPaths.AUTHORIZE + "?" + query
                    : null;
            response.sendRedirect(request.getContextPath() + OAuthPaths.SIGN_IN
                    + (next == null ? "" : "?continue=" + URLEncoder.encode(next, StandardCharsets.UTF_8)));
        };
    }
}
