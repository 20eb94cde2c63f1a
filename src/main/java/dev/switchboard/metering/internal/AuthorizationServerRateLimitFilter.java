package dev.switchboard.metering.internal;

import java.io.IOException;
import java.time.Duration;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

import dev.switchboard.metering.Limit;
import dev.switchboard.metering.RateDecision;
import dev.switchboard.metering.RateLimiter;
import dev.switchboard.shared.RequestPaths;

/**
 * Rate limits of the OAuth authorization server ({@code /oauth2/**}: authorization, sign-in and consent pages, token,
 * registration). Its callers are anonymous browsers and clients, and it answers inside Spring Security's filter chain,
 * so this runs before that chain: the global limit, the per-address limit of anonymous API requests, and for open
 * client registration (RFC 7591, {@code POST /oauth2/register}) an hourly limit per address, so that nobody fills the
 * client table. Signing in on the sign-in page is throttled per address and account like every sign-in, by
 * {@link MeteringLoginThrottle}.
 */
class AuthorizationServerRateLimitFilter extends OncePerRequestFilter {

    private static final String CLIENT_REGISTRATION = "/oauth2/register";

    private final RateLimiter limiter;
    private final TooManyRequests tooManyRequests;
    private final Limit global;
    private final Limit anonymous;
    private final Limit registrations;

    AuthorizationServerRateLimitFilter(RateLimiter limiter, MeteringProperties properties, TooManyRequests tooManyRequests) {
        this.limiter = limiter;
        this.tooManyRequests = tooManyRequests;
        this.global = properties.globalRequestsPerSecond() > 0 ? Limit.perSecond("global", properties.globalRequestsPerSecond()) : null;
        this.anonymous = Limit.perMinute("anonymous", properties.anonymousPerAddressPerMinute());
        this.registrations = new Limit("oauth-registration", properties.oauthRegistrationsPerAddressPerHour(), Duration.ofHours(1));
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !RequestPaths.of(request).startsWith("/oauth2/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String address = ClientAddressKey.of(request.getRemoteAddr());
        if (refused(request, response, global, "all", "to this server")
                || refused(request, response, anonymous, address, "from this address")
                || CLIENT_REGISTRATION.equals(RequestPaths.of(request)) && "POST".equals(request.getMethod())
                        && refused(request, response, registrations, address, "for OAuth client registrations from this address")) {
            return;
        }
        chain.doFilter(request, response);
    }

    private boolean refused(HttpServletRequest request, HttpServletResponse response, Limit limit, String key, String what)
            throws IOException {
        if (limit == null) {
            return false;
        }
        RateDecision decision = limiter.consume(limit, key, 1);
        if (decision.allowed()) {
            return false;
        }
        tooManyRequests.send(request, response, decision, what);
        return true;
    }
}
