package dev.switchboard.identity.internal.apikey;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.switchboard.identity.internal.token.CallerAuthentication;

/**
 * Authenticates {@code X-API-Key: sb_…} or {@code Authorization: Bearer sb_…} on the API paths. A presented key
 * that is unknown, revoked, expired, or whose owner or tenant is gone, is answered 401 at once.
 */
public final class ApiKeyAuthenticationFilter extends OncePerRequestFilter {

    public static final String HEADER = "X-API-Key";

    private final ApiKeys keys;
    private final RequestMatcher api;
    private final AuthenticationEntryPoint entryPoint;

    public ApiKeyAuthenticationFilter(ApiKeys keys, RequestMatcher api, AuthenticationEntryPoint entryPoint) {
        this.keys = keys;
        this.api = api;
        this.entryPoint = entryPoint;
    }

    /** The key in the request, if any: the dedicated header first, then a bearer token shaped like a key. */
    public static String presentedKey(HttpServletRequest request) {
        String header = request.getHeader(HEADER);
        if (header != null && !header.isBlank()) {
            return header.strip();
        }
        String authorization = request.getHeader("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = authorization.substring(7).strip();
            if (token.startsWith(ApiKeySecrets.PREFIX)) {
                return token;
            }
        }
        return null;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String presented = api.matches(request) ? presentedKey(request) : null;
        if (presented == null) {
            chain.doFilter(request, response);
            return;
        }
        var caller = keys.authenticate(presented);
        if (caller.isEmpty()) {
            SecurityContextHolder.clearContext();
            entryPoint.commence(request, response, new BadCredentialsException("API key refused"));
            return;
        }
        var context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(new CallerAuthentication(caller.get(), null, CallerAuthentication.Method.API_KEY));
        SecurityContextHolder.setContext(context);
        chain.doFilter(request, response);
    }
}
