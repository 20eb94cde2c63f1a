package dev.switchboard.metering;

import static dev.switchboard.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import dev.switchboard.support.ApiTestSupport;
import dev.switchboard.support.IntegrationTest;

/** A global limit of one request a second: the bucket holds one token, refilled a second later. */
@IntegrationTest
@TestPropertySource(properties = "switchboard.metering.global-requests-per-second=1")
class GlobalLimitIntegrationTests extends ApiTestSupport {

    @Test
    void signInCountsTowardTheGlobalLimit() {
        // A cheap request takes the one token; the sign-in right after it finds none.
        assertThat(http.postJson("/api/auth/refresh", "{\"refreshToken\":\"not-a-token\"}").statusCode()).isNotEqualTo(429);
        HttpResponse<String> login = http.postJson("/api/auth/login",
                "{\"email\":\"nobody@example.test\",\"password\":\"not-the-password-at-all\"}");
        assertProblem(login, 429, "too-many-requests");
        assertThat(login.body()).contains("to this server");
    }
}
