package dev.switchboard.identity.internal.oauth;

import java.io.IOException;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.switchboard.identity.Caller;
import dev.switchboard.identity.internal.token.JwtCallerConverter;
import dev.switchboard.identity.internal.web.BrowserSessions;

/**
 * The user of the authorization flow is the user of the browser session: the {@code SB_SESSION} cookie (the web
 * app's sign-in, or the authorization server's sign-in page, which starts the same session), checked as every
 * session token is — signature, then the user's current state. The authorization server sees the user as a plain
 * principal named by the user's id, which is what it stores with an authorization; the tenant is looked up again
 * whenever a token is issued. No cookie, or a stale one, leaves the request unauthenticated: the authorization
 * endpoint then sends the browser to the sign-in page.
 */
final class BrowserSignInFilter extends OncePerRequestFilter {

    static final String USER_AUTHORITY = "ROLE_USER";
    /** The signed-in user's e-mail address, for the pages to show whose account is used. */
    static final String EMAIL_ATTRIBUTE = BrowserSignInFilter.class.getName() + ".email";

    private final JwtDecoder sessions;
    private final JwtCallerConverter callers;

    BrowserSignInFilter(JwtDecoder sessions, JwtCallerConverter callers) {
        this.sessions = sessions;
        this.callers = callers;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        BrowserSessions.cookie(request, BrowserSessions.ACCESS_COOKIE).ifPresent(token -> {
            try {
                Caller caller = callers.convert(sessions.decode(token)).getPrincipal() instanceof Caller c ? c : null;
                if (caller != null) {
                    request.setAttribute(EMAIL_ATTRIBUTE, caller.email());
                    SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
                            caller.userId().toString(), null, List.of(new SimpleGrantedAuthority(USER_AUTHORITY))));
                }
            }
            catch (JwtException | AuthenticationException ex) {
                // Expired or revoked: the user signs in again.
            }
        });
        chain.doFilter(request, response);
    }
}
