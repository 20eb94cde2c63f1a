package dev.switchboard.identity.internal.web;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.switchboard.identity.internal.token.JwtCallerConverter;

/**
 * The web app's pages (everything outside the API) see the user of the browser session: the {@code SB_SESSION}
 * cookie, checked as every session token is (signature, then the user's current state), makes the request
 * authenticated as that user, so pages can read {@link dev.switchboard.identity.Callers#current()}. Unlike the API,
 * a missing, expired or revoked cookie leaves the request anonymous instead of refusing it: the page then sends the
 * browser to sign in (where the app renews the session from its refresh cookie, if it has one).
 */
final class PageSessionFilter extends OncePerRequestFilter {

    private final JwtDecoder sessions;
    private final JwtCallerConverter callers;
    private final RequestMatcher notPages;

    /** {@code sessions} decodes users' own access tokens only: what a session cookie may hold. */
    PageSessionFilter(JwtDecoder sessions, JwtCallerConverter callers, RequestMatcher notPages) {
        this.sessions = sessions;
        this.callers = callers;
        this.notPages = notPages;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return notPages.matches(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        BrowserSessions.cookie(request, BrowserSessions.ACCESS_COOKIE).ifPresent(token -> {
            try {
                SecurityContextHolder.getContext().setAuthentication(callers.convert(sessions.decode(token)));
            }
            catch (JwtException | AuthenticationException ex) {
                // Expired or revoked: the page asks the user to sign in again.
            }
        });
        chain.doFilter(request, response);
    }
}
