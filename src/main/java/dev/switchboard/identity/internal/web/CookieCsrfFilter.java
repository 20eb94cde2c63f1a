package dev.switchboard.identity.internal.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.csrf.DefaultCsrfToken;
import org.springframework.security.web.csrf.InvalidCsrfTokenException;
import org.springframework.security.web.csrf.MissingCsrfTokenException;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.switchboard.identity.internal.token.CallerAuthentication;

/**
 * Double-submit CSRF check for requests that carry the session cookies (see {@link BrowserSessions}): the
 * {@code X-CSRF-Token} header must equal the {@code SB_CSRF} cookie. Spring Security's own CSRF filter exempts
 * every request that carries a bearer token, and the session cookie is one, so the check lives here. It runs
 * after authentication and exempts a request only when an API key or an {@code Authorization} bearer token
 * actually authenticated it; a header that is merely present (a bogus scheme, a blank key) while the cookie
 * does the authenticating exempts nothing.
 */
final class CookieCsrfFilter extends OncePerRequestFilter {

    private final AccessDeniedHandler denied;

    CookieCsrfFilter(AccessDeniedHandler denied) {
        this.denied = denied;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!BrowserSessions.NEEDS_CSRF.matches(request) || authenticatedByHeader(request)) {
            chain.doFilter(request, response);
            return;
        }
        Optional<String> expected = BrowserSessions.cookie(request, BrowserSessions.CSRF_COOKIE);
        String presented = request.getHeader(BrowserSessions.CSRF_HEADER);
        if (expected.isEmpty() || presented == null) {
            denied.handle(request, response, new MissingCsrfTokenException(presented));
            return;
        }
        if (!MessageDigest.isEqual(expected.get().getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8))) {
            denied.handle(request, response, new InvalidCsrfTokenException(
                    new DefaultCsrfToken(BrowserSessions.CSRF_HEADER, "_csrf", expected.get()), presented));
            return;
        }
        chain.doFilter(request, response);
    }

    /** Whether the request's credential is a key or a bearer token from its headers, not the session cookie. */
    private static boolean authenticatedByHeader(HttpServletRequest request) {
        if (!(SecurityContextHolder.getContext().getAuthentication() instanceof CallerAuthentication authentication)) {
            return false;
        }
        if (authentication.method() == CallerAuthentication.Method.API_KEY) {
            return true;
        }
        Optional<String> cookie = BrowserSessions.cookie(request, BrowserSessions.ACCESS_COOKIE);
        return authentication.getCredentials() instanceof Jwt jwt && !cookie.map(jwt.getTokenValue()::equals).orElse(false);
    }
}
