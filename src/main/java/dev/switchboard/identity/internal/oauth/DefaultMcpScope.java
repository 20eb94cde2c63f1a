package dev.switchboard.identity.internal.oauth;

import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;

import org.jspecify.annotations.Nullable;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.web.authentication.AuthenticationConverter;

import dev.switchboard.identity.Scopes;

/**
 * An authorization request that names no scope asks for {@code mcp}, the one scope clients may have: an MCP client
 * that omits the scope (the specification lets it) still gets a token the MCP endpoint takes, and the user still
 * consents to it.
 */
final class DefaultMcpScope implements AuthenticationConverter {

    private final AuthenticationConverter delegate;

    DefaultMcpScope(AuthenticationConverter delegate) {
        this.delegate = delegate;
    }

    @Override
    public @Nullable Authentication convert(HttpServletRequest request) {
        Authentication converted = delegate.convert(request);
        if (converted instanceof OAuth2AuthorizationCodeRequestAuthenticationToken code && code.getScopes().isEmpty()) {
            return new OAuth2AuthorizationCodeRequestAuthenticationToken(code.getAuthorizationUri(), code.getClientId(),
                    (Authentication) code.getPrincipal(), code.getRedirectUri(), code.getState(), Set.of(Scopes.MCP),
                    code.getAdditionalParameters());
        }
        return converted;
    }
}
