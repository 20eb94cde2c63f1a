package dev.switchboard.metering.internal;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerMapping;

import dev.switchboard.identity.Caller;
import dev.switchboard.identity.Callers;
import dev.switchboard.metering.Bucket;
import dev.switchboard.metering.Limit;
import dev.switchboard.metering.RateDecision;
import dev.switchboard.metering.RateLimiter;
import dev.switchboard.metering.UsageRecorder;
import dev.switchboard.shared.RequestPaths;
import dev.switchboard.shared.TraceSpan;
import dev.switchboard.shared.Traces;

/**
 * Applies, after authentication, the global limit to every API request (sign-in included), then the caller's
 * tier limits, or the per-address limit (an IPv6 client by its /64) to unauthenticated API requests. A request
 * made with an API key draws on the key's bucket (the key's tier) and on its owner's bucket (the owner's tier),
 * all or nothing; a session draws on the owner's bucket alone, so a user's keys and sessions share the user's
 * rate and more keys do not multiply it. The {@code RateLimit-*} headers report the bucket closest to refusal.
 * Sign-in has, instead of tier and address limits, its own per-address and per-account limits (see
 * {@link MeteringLoginThrottle}). Every decision is on {@link RequestPaths#of}, the path routing
 * uses, so {@code /%61pi/…} is limited and metered like {@code /api/…}.
 */
class RateLimitFilter extends OncePerRequestFilter {

    /** Throttled per address and per account by {@link MeteringLoginThrottle}. */
    private static final String SIGN_IN = "/api/auth/login";

    private final RateLimiter limiter;
    private final MeteringProperties properties;
    private final TooManyRequests tooManyRequests;
    private final UsageRecorder usage;
    private final Limit global;

    private final Traces traces;

    RateLimitFilter(RateLimiter limiter, MeteringProperties properties, TooManyRequests tooManyRequests,
            UsageRecorder usage, Traces traces) {
        this.traces = traces;
        this.limiter = limiter;
        this.usage = usage;
        this.properties = properties;
        this.tooManyRequests = tooManyRequests;
        this.global = properties.globalRequestsPerSecond() > 0
                ? Limit.perSecond("global", properties.globalRequestsPerSecond()) : null;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = RequestPaths.of(request);
        return !(path.startsWith("/api/") || path.startsWith("/v1/")) || path.startsWith("/api/docs")
                || path.startsWith("/api/swagger-ui");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (global != null) {
            RateDecision decision = traced("global", () -> limiter.consume(global, "all", 1));
            if (!decision.allowed()) {
                tooManyRequests.send(request, response, decision, "to this server");
                return;
            }
        }
        if (RequestPaths.of(request).equals(SIGN_IN)) {
            chain.doFilter(request, response);
            return;
        }
        Optional<Caller> caller = Callers.current();
        RateDecision decision = traced(caller.isPresent() ? "tier" : "anonymous", () -> caller.isPresent()
                ? limiter.consume(tierBuckets(caller.get()), 1)
                : limiter.consume(Limit.perMinute("anonymous", properties.anonymousPerAddressPerMinute()),
                        ClientAddressKey.of(request.getRemoteAddr()), 1));
        TooManyRequests.headers(response, decision);
        if (!decision.allowed()) {
            tooManyRequests.send(request, response, decision, caller.isPresent() ? refusedFor(caller.get()) : "from this address");
            return;
        }
        try {
            chain.doFilter(request, response);
        }
        finally {
            caller.ifPresent(c -> usage.request(c, endpoint(request), response.getStatus()));
        }
    }

    /** One rate-limit decision in its span: which limit, and whether the request may go on. */
    private RateDecision traced(String limit, Supplier<RateDecision> decide) {
        try (TraceSpan span = traces.start("rate_limit " + limit)) {
            RateDecision decision = decide.get();
            span.tag("switchboard.rate_limit.allowed", decision.allowed());
            return decision;
        }
    }

    /** The route template (GET /api/users/{id}), never the raw path with its ids. */
    private static String endpoint(HttpServletRequest request) {
        Object pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
        return request.getMethod() + " " + (pattern != null ? pattern : "(unmatched)");
    }

    /** The user's bucket, which every credential of the user shares, and for a key the key's own. */
    private List<Bucket> tierBuckets(Caller caller) {
        Bucket user = new Bucket(tierLimit(properties.userTierOf(caller)), MeteringProperties.userBucketKey(caller));
        if (caller.apiKeyId() == null) {
            return List.of(user);
        }
        return List.of(new Bucket(tierLimit(properties.tierOf(caller)), MeteringProperties.bucketKey(caller)), user);
    }

    private Limit tierLimit(String tier) {
        return Limit.perMinute("tier-" + tier, properties.tier(tier).requestsPerMinute());
    }

    private static String refusedFor(Caller caller) {
        return caller.apiKeyId() != null ? "for this key's tier or its user's" : "for this user's tier";
    }

}
