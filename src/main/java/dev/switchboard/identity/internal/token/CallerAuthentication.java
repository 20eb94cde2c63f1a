package dev.switchboard.identity.internal.token;

import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

import dev.switchboard.identity.Caller;
import dev.switchboard.identity.Scopes;

/**
 * An authenticated {@link Caller}. Authorities: its scopes ({@code SCOPE_chat}); its role ({@code ROLE_ADMIN}
 * exactly when {@link Caller#actsAsAdmin()}, so an admin's chat-only key is no admin);
 * and how it signed in ({@code AUTH_session} for a user's access token, {@code AUTH_api_key} for a key,
 * {@code AUTH_oauth} for an OAuth access token a client obtained for the user).
 */
public final class CallerAuthentication extends AbstractAuthenticationToken {

    /** The authority of a user's own session (not an API key). */
    public static final String SESSION_AUTHORITY = "AUTH_session";

    private final Caller caller;
    private final Object credentials;
    private final Method method;

    /** How the caller authenticated. */
    public enum Method {
        /** The user's own access token (sign-in): every scope. */
        SESSION,
        /** An API key: its scopes. */
        API_KEY,
        /** An OAuth access token a client (an MCP remote connector) obtained for the user: scope {@code mcp} only. */
        OAUTH
    }

    public CallerAuthentication(Caller caller, Object credentials, Method method) {
        super(authorities(caller, method));
        this.caller = caller;
        this.credentials = credentials;
        this.method = method;
        setAuthenticated(true);
    }

    /** How the caller authenticated. */
    public Method method() {
        return method;
    }

    private static List<SimpleGrantedAuthority> authorities(Caller caller, Method method) {
        String role = caller.actsAsAdmin() ? "ROLE_ADMIN" : "ROLE_MEMBER";
        return Stream.concat(
                Stream.of(role, "AUTH_" + method.name().toLowerCase(Locale.ROOT)),
                caller.scopes().stream().map(Scopes::authority))
                .map(SimpleGrantedAuthority::new)
                .toList();
    }

    @Override
    public Object getCredentials() {
        return credentials;
    }

    @Override
    public Caller getPrincipal() {
        return caller;
    }

    @Override
    public String getName() {
        return caller.userId().toString();
    }
}
