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
 *
 * <p>"Remember me": without it every cookie lasts as long as the browser session; with it the refresh and CSRF cookies
 * last as long as the refresh token ({@code switchboard.identity.refresh-token-ttl}), so that a browser restarted
 * within that time renews the session instead of asking for the password. The choice is kept in the
 * {@code SB_REMEMBER} cookie beside the refresh cookie, so each renewal keeps it. The access cookie never outlives its
 * token.
 */
public final class BrowserSessions {

    public static final String ACCESS_COOKIE = "SB_SESSION";
    static final String REFRESH_COOKIE = "SB_REFRESH";
    static final String CSRF_COOKIE = "SB_CSRF";
    static final String REMEMBER_COOKIE = "SB_REMEMBER";
    static final String CSRF_HEADER = "X-CSRF-Token";
    static final String REFRESH_PATH = "/api/auth";
    /** The web app's first-run page (module ui), which creates the first admin. */
    static final String FIRST_RUN_PATH = "/setup";

    /** A negative max-age: the cookie has no {@code Max-Age} and ends with the browser session. */
    private static final Duration BROWSER_SESSION = Duration.ofSeconds(-1);

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
        // The first-run page proves itself with the set-up code, and stale cookies of a wiped database linger.
        String path = RequestPaths.of(request);
        if (path.equals("/api/auth/login") || path.equals(FIRST_RUN_PATH)) {
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

    /** Sets the session cookies (for the browser session only) and a fresh CSRF token; returns the token. */
    public static String start(HttpServletRequest request, HttpServletResponse response, TokenPair tokens,
            IdentityProperties properties, CookieCsrfTokenRepository csrf) {
        return start(request, response, tokens, properties, csrf, false);
    }

    /**
     * Sets the session cookies and a fresh CSRF token; returns the token for the response body.
     *
     * @param remember keep the refresh and CSRF cookies for the refresh token's lifetime, across browser restarts
     */
    public static String start(HttpServletRequest request, HttpServletResponse response, TokenPair tokens,
            IdentityProperties properties, CookieCsrfTokenRepository csrf, boolean remember) {
        Duration kept = remember ? properties.refreshTokenTtl() : BROWSER_SESSION;
        set(response, ACCESS_COOKIE, tokens.accessToken(), "/", remember ? properties.accessTokenTtl() : BROWSER_SESSION);
        set(response, REFRESH_COOKIE, tokens.refreshToken(), REFRESH_PATH, kept);
        set(response, REMEMBER_COOKIE, remember ? "1" : "", REFRESH_PATH, remember ? kept : Duration.ZERO);
        // Written here rather than by the repository, whose cookies all last the browser session.
        String token = csrf.generateToken(request).getToken();
        set(response, CSRF_COOKIE, token, "/", kept);
        return token;
    }

    /** Renews a session from its refresh cookie, keeping the sign-in's "remember me" choice. */
    static String renew(HttpServletRequest request, HttpServletResponse response, TokenPair tokens,
            IdentityProperties properties, CookieCsrfTokenRepository csrf) {
        return start(request, response, tokens, properties, csrf, cookie(request, REMEMBER_COOKIE).isPresent());
    }

    static void end(HttpServletResponse response) {
        set(response, ACCESS_COOKIE, "", "/", Duration.ZERO);
        set(response, REFRESH_COOKIE, "", REFRESH_PATH, Duration.ZERO);
        set(response, REMEMBER_COOKIE, "", REFRESH_PATH, Duration.ZERO);
        set(response, CSRF_COOKIE, "", "/", Duration.ZERO);
    }

    private static void set(HttpServletResponse response, String name, String value, String path, Duration maxAge) {
        response.addHeader(HttpHeaders.SET_COOKIE, ResponseCookie.from(name, value).httpOnly(!CSRF_COOKIE.equals(name))
                .secure(true).sameSite("Strict").path(path).maxAge(maxAge).build().toString());
    }
}
