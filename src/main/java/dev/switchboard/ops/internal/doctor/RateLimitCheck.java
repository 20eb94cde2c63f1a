package dev.switchboard.ops.internal.doctor;

import static dev.switchboard.ops.internal.doctor.Answers.header;
import static dev.switchboard.ops.internal.doctor.Answers.unexpected;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

/**
 * With {@code --include-rate-limit}: requests with the key until the deployment answers 429, at most
 * {@code --rate-limit-attempts} of them. The key's and its owner's budget stay spent until the window passes, so
 * this check runs last.
 */
final class RateLimitCheck {

    static final String NAME = "429 after the rate limit";

    private static final List<String> HEADERS = List.of("RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset");

    private RateLimitCheck() {
    }

    static DoctorCheck check() {
        return DoctorCheck.of(NAME, RateLimitCheck::run);
    }

    static CheckResult run(String name, Deployment deployment) throws Deployment.Unreachable {
        DoctorOptions options = deployment.options();
        if (!options.includeRateLimit()) {
            return CheckResult.skip(name, "not asked for (--include-rate-limit; it spends the key's budget for a minute)");
        }
        if (!options.hasKey()) {
            return CheckResult.skip(name, CallerChecks.NO_KEY + ": the check spends the key's per-minute budget");
        }
        HttpRequest request = deployment.withKey("/api/auth/me").GET().build();
        for (int attempt = 1; attempt <= options.rateLimitAttempts(); attempt++) {
            HttpResponse<String> response = deployment.send(request);
            if (response.statusCode() == 429) {
                return refused(name, response, attempt);
            }
            if (response.statusCode() != 200) {
                return response.statusCode() == 401 ? CallerChecks.keyRefused(name, response)
                        : CheckResult.fail(name, "GET /api/auth/me " + unexpected(response) + " after " + attempt + " requests");
            }
        }
        return CheckResult.fail(name, "no 429 after " + options.rateLimitAttempts() + " requests in a row (raise "
                + "--rate-limit-attempts above the key's tier limit, or check switchboard.metering.*)");
    }

    private static CheckResult refused(String name, HttpResponse<String> response, int attempt) {
        List<String> missing = HEADERS.stream().filter(h -> header(response, h).isEmpty()).toList();
        if (header(response, "Retry-After").isEmpty()) {
            return CheckResult.fail(name, "429 after " + attempt + " requests without Retry-After");
        }
        if (!missing.isEmpty()) {
            return CheckResult.fail(name, "429 after " + attempt + " requests without " + String.join(", ", missing));
        }
        return CheckResult.pass(name, "429 after " + attempt + " requests (RateLimit-Limit "
                + header(response, "RateLimit-Limit").orElseThrow() + ", Retry-After " + header(response, "Retry-After").orElseThrow()
                + " s)");
    }
}
