package dev.switchboard.metering.internal;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import dev.switchboard.metering.RateDecision;
import dev.switchboard.shared.ProblemResponder;
import dev.switchboard.shared.Problems;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The {@code RateLimit-Limit}/{@code -Remaining}/{@code -Reset} headers of every metered response, and the
 * 429 problem with {@code Retry-After} when a limit refuses; each refusal counts in
 * {@code switchboard_rate_limit_rejections_total{limit}}.
 */
@Component
class TooManyRequests {

    private final ProblemResponder problems;
    private final MeterRegistry meters;

    TooManyRequests(ProblemResponder problems, MeterRegistry meters) {
        this.problems = problems;
        this.meters = meters;
    }

    static void headers(HttpServletResponse response, RateDecision decision) {
        response.setHeader("RateLimit-Limit", String.valueOf(decision.limit().capacity()));
        response.setHeader("RateLimit-Remaining", String.valueOf(Math.max(0, decision.remaining())));
        response.setHeader("RateLimit-Reset", String.valueOf(decision.resetSeconds()));
    }

    void send(HttpServletRequest request, HttpServletResponse response, RateDecision decision, String what)
            throws IOException {
        meters.counter("switchboard.rate_limit.rejections", "limit", limitFamily(decision.limit().name())).increment();
        headers(response, decision);
        response.setHeader("Retry-After", String.valueOf(decision.retryAfterSeconds()));
        problems.send(request, response, Problems.of(HttpStatus.TOO_MANY_REQUESTS, "too-many-requests",
                "Too many requests " + what + "; retry after " + decision.retryAfterSeconds() + " s."));
    }

    /** Metric tags name the kind of limit, never a key or address. */
    static String limitFamily(String name) {
        int dash = name.indexOf('-');
        return dash < 0 ? name : name.substring(0, dash);
    }
}
