package dev.switchboard.identity.internal.oauth;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

import org.springframework.core.convert.converter.Converter;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.OAuth2ClientRegistration;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientRegistrationAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientRegistrationAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.converter.OAuth2ClientRegistrationRegisteredClientConverter;

import dev.switchboard.identity.Scopes;

/**
 * What open dynamic client registration (RFC 7591) accepts, as MCP clients register: public clients only
 * ({@code token_endpoint_auth_method: none}; they prove themselves with PKCE), the authorization-code and refresh-token
 * grants, the {@code mcp} scope, and 1 to {@value #MAX_REDIRECT_URIS} redirect URIs that are https, or http on the
 * loopback interface (RFC 8252 native apps). Nothing else is stored: a registration asking for more is refused with
 * RFC 7591's {@code invalid_client_metadata} or {@code invalid_redirect_uri} and a description saying what to change.
 * Beyond {@code switchboard.identity.oauth.max-clients} registrations are refused until the retention job has purged
 * unused ones.
 */
final class ClientRegistrationPolicy implements Consumer<OAuth2ClientRegistrationAuthenticationContext> {

    static final int MAX_REDIRECT_URIS = 10;
    static final int MAX_URI_LENGTH = 2000;
    static final int MAX_NAME_LENGTH = 100;
    private static final String ERROR_URI = "https://datatracker.ietf.org/doc/html/rfc7591#section-3.2.2";
    private static final String INVALID_CLIENT_METADATA = "invalid_client_metadata";
    private static final Set<String> GRANTS = Set.of(AuthorizationGrantType.AUTHORIZATION_CODE.getValue(),
            AuthorizationGrantType.REFRESH_TOKEN.getValue());
    private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "[::1]", "localhost");

    private final RegisteredClients clients;
    private final int maxClients;
    private final OAuth2ClientRegistrationRegisteredClientConverter defaults = new OAuth2ClientRegistrationRegisteredClientConverter();

    ClientRegistrationPolicy(RegisteredClients clients, int maxClients) {
        this.clients = clients;
        this.maxClients = maxClients;
    }

    @Override
    public void accept(OAuth2ClientRegistrationAuthenticationContext context) {
        OAuth2ClientRegistration registration = context.<OAuth2ClientRegistrationAuthenticationToken>getAuthentication()
                .getClientRegistration();
        if (!ClientAuthenticationMethod.NONE.getValue().equals(registration.getTokenEndpointAuthenticationMethod())) {
            throw refused(INVALID_CLIENT_METADATA, "Only public clients may register: send \"token_endpoint_auth_method\": \"none\" "
                    + "and prove each token request with PKCE.");
        }
        redirectUris(registration.getRedirectUris());
        List<String> grants = registration.getGrantTypes();
        if (grants != null && !GRANTS.containsAll(grants)) {
            throw refused(INVALID_CLIENT_METADATA, "grant_types may list only authorization_code and refresh_token.");
        }
        List<String> responseTypes = registration.getResponseTypes();
        if (responseTypes != null && !List.of("code").containsAll(responseTypes)) {
            throw refused(INVALID_CLIENT_METADATA, "response_types may list only code.");
        }
        List<String> scopes = registration.getScopes();
        if (scopes != null && !Set.of(Scopes.MCP).containsAll(scopes)) {
            throw refused(INVALID_CLIENT_METADATA, "scope may be only \"mcp\".");
        }
        if (registration.getClientName() != null && registration.getClientName().strip().length() > MAX_NAME_LENGTH) {
            throw refused(INVALID_CLIENT_METADATA, "client_name may have at most " + MAX_NAME_LENGTH + " characters.");
        }
        if (registration.getJwkSetUrl() != null) {
            throw refused(INVALID_CLIENT_METADATA, "jwks_uri is not accepted: clients are public.");
        }
        if (clients.count() >= maxClients) {
            throw refused(INVALID_CLIENT_METADATA, "Registration is closed for now: this server holds as many clients as it keeps. "
                    + "Try again later.");
        }
    }

    private static void redirectUris(List<String> redirectUris) {
        if (redirectUris == null || redirectUris.isEmpty() || redirectUris.size() > MAX_REDIRECT_URIS) {
            throw refused(OAuth2ErrorCodes.INVALID_REDIRECT_URI, "Register 1 to " + MAX_REDIRECT_URIS + " redirect_uris.");
        }
        for (String redirectUri : redirectUris) {
            if (!acceptable(redirectUri)) {
                throw refused(OAuth2ErrorCodes.INVALID_REDIRECT_URI, "Each redirect URI must be an absolute https URI, or http on "
                        + "127.0.0.1, [::1] or localhost, without a fragment or user information, at most " + MAX_URI_LENGTH
                        + " characters.");
            }
        }
    }

    static boolean acceptable(String redirectUri) {
        if (redirectUri == null || redirectUri.length() > MAX_URI_LENGTH) {
            return false;
        }
        URI uri;
        try {
            uri = new URI(redirectUri);
        }
        catch (URISyntaxException ex) {
            return false;
        }
        if (!uri.isAbsolute() || uri.getRawFragment() != null || uri.getRawUserInfo() != null || uri.getHost() == null) {
            return false;
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        return "https".equals(scheme) || "http".equals(scheme) && isLoopback(uri);
    }

    /** Whether the URI's host is the loopback interface. */
    static boolean isLoopback(URI uri) {
        return uri.getHost() != null && LOOPBACK.contains(uri.getHost().toLowerCase(Locale.ROOT));
    }

    /** What a registration becomes: Spring's conversion (PKCE and consent required), with both grants and scope mcp. */
    Converter<OAuth2ClientRegistration, RegisteredClient> converter() {
        return this::convert;
    }

    private RegisteredClient convert(OAuth2ClientRegistration registration) {
        RegisteredClient converted = defaults.convert(registration);
        return RegisteredClient.from(converted)
                .authorizationGrantTypes(grants -> {
                    grants.clear();
                    grants.add(AuthorizationGrantType.AUTHORIZATION_CODE);
                    grants.add(AuthorizationGrantType.REFRESH_TOKEN);
                })
                .scopes(scopes -> {
                    scopes.clear();
                    scopes.add(Scopes.MCP);
                })
                .clientName(registration.getClientName() == null || registration.getClientName().isBlank()
                        ? converted.getClientId() : registration.getClientName().strip())
                .build();
    }

    private static OAuth2AuthenticationException refused(String code, String description) {
        return new OAuth2AuthenticationException(new OAuth2Error(code, description, ERROR_URI));
    }
}
