package dev.switchboard.identity.internal.web;

import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.util.matcher.RequestMatcher;

import dev.switchboard.identity.internal.IdentityProperties;
import dev.switchboard.identity.internal.token.TokenPair;
import dev.switchboard.shared.RequestPaths;

/**
 * Sign-in for browsers: the tokens travel in httpOnly, Secure, SameSite=Strict cookies instead of the
 * response body, and every state-changing request authenticated by those cookies must repeat the CSRF
 * cookie's value in {@code X-CSRF-Token} (double submit, checked by {@link CookieCsrfFilter}). Requests that an
 * API key or an {@code Authorization} bearer token authenticated need no CSRF token: a browser never adds those
 * by itself.
 */
public final class BrowserSessions {

    public static final String ACCESS_COOKIE = "SB_SESSION";
    static final String REFRESH_COOKIE = "SB_REFRESH";
    static final String CSRF_COOKIE = "SB_CSRF";
    static final String CSRF_HEADER = "X-CSRF-Token";
    static final String REFRESH_PATH = "/api/auth";

    private BrowserSessions() {
    }

    public static CookieCsrfTokenRepository csrfRepository() {
        CookieCsrfTokenRepository repository = CookieCsrfTokenRepository.withHttpOnlyFalse();
        repository.setCookieName(CSRF_COOKIE);
        repository.setHeaderName(CSRF_HEADER);
        repository.setCookieCustomizer(cookie -> cookie.secure(true).sameSite("Strict").path("/"));
        return repository;
    }

    /**
     * CSRF applies to unsafe methods carrying our cookies, sign-in excepted (it proves itself with the password,
     * and must work when stale cookies linger). {@link CookieCsrfFilter} exempts requests a header credential
     * authenticated.
     */
    static final RequestMatcher NEEDS_CSRF = request -> {
        if (RequestPaths.of(request).equals("/api/auth/login")) {
            return false;
        }
        String method = request.getMethod();
        boolean unsafe = !("GET".equals(method) || "HEAD".equals(method) || "OPTIONS".equals(method) || "TRACE".equals(method));
        return unsafe && (cookie(request, ACCESS_COOKIE).isPresent() || cookie(request, REFRESH_COOKIE).isPresent());
    };

    public static Optional<String> cookie(HttpServletRequest request, String name) {
        Cookie[] cookies = request.getCookies();
        return cookies == null ? Optional.empty() : Arrays.stream(cookies).filter(c -> name.equals(c.getName()))
                .map(Cookie::getValue).filter(v -> !v.isBlank()).findFirst();
    }

    /** Sets the session cookies and a fresh CSRF token; returns the token for the response body. */
    public static String start(HttpServletRequest request, HttpServletResponse response, TokenPair tokens,
            IdentityProperties properties, CookieCsrfTokenRepository csrf) {
        set(response, ACCESS_COOKIE, tokens.accessToken(), "/", properties.accessTokenTtl());
        set(response, REFRESH_COOKIE, tokens.refreshToken(), REFRESH_PATH, properties.refreshTokenTtl());
        CsrfToken token = csrf.generateToken(request);
        csrf.saveToken(token, request, response);
        return token.getToken();
    }

    static void end(HttpServletResponse response) {
        set(response, ACCESS_COOKIE, "", "/", Duration.ZERO);
        set(response, REFRESH_COOKIE, "", REFRESH_PATH, Duration.ZERO);
        set(response, CSRF_COOKIE, "", "/", Duration.ZERO);
    }

    private static void set(HttpServletResponse response, String name, String value, String path, Duration maxAge) {
        response.addHeader(HttpHeaders.SET_COOKIE, ResponseCookie.from(name, value).httpOnly(!CSRF_COOKIE.equals(name))
                .secure(true).sameSite("Strict").path(path).maxAge(maxAge).build().toString());
    }
}
