package dev.switchboard.identity.internal.token;

import java.util.List;

import dev.switchboard.identity.Caller;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** An authenticated {@link Caller}; its authorities are its role ({@code ROLE_ADMIN}) and scopes ({@code SCOPE_chat}). */
public final class CallerAuthentication extends AbstractAuthenticationToken {

    private final Caller caller;
    private final Object credentials;

    public CallerAuthentication(Caller caller, Object credentials) {
        super(authorities(caller));
        this.caller = caller;
        this.credentials = credentials;
        setAuthenticated(true);
    }

    private static List<SimpleGrantedAuthority> authorities(Caller caller) {
        return java.util.stream.Stream.concat(
                java.util.stream.Stream.of(new SimpleGrantedAuthority("ROLE_" + caller.role().name())),
                caller.scopes().stream().map(scope -> new SimpleGrantedAuthority("SCOPE_" + scope)))
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
