package dev.switchboard.metering;

import static dev.switchboard.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import dev.switchboard.support.ApiTestSupport;
import dev.switchboard.support.IntegrationTest;

/**
 * The sign-in limit per address counts an IPv6 client by its /64. The test client is on loopback, a trusted
 * proxy, so {@code X-Forwarded-For} sets the client address.
 */
@IntegrationTest
@TestPropertySource(properties = "switchboard.metering.login-per-address-per-minute=3")
class SignInAddressLimitIntegrationTests extends ApiTestSupport {

    @Test
    void rotatingAddressesWithinOneSlash64DoesNotDodgeTheLimit() {
        for (int i = 1; i <= 3; i++) {
            assertProblem(login("2001:db8:5:6::" + i, "rotating-" + i), 401, "invalid-credentials");
        }
        HttpResponse<String> throttled = login("2001:db8:5:6:ffff:ffff:ffff:ffff", "rotating-4");
        assertProblem(throttled, 429, "too-many-requests");
        assertThat(throttled.body()).contains("from this address");
        // The next /64 is another client.
        assertProblem(login("2001:db8:5:7::1", "rotating-5"), 401, "invalid-credentials");
    }

    @Test
    void ipv4AddressesAreLimitedOneByOne() {
        for (int i = 1; i <= 3; i++) {
            assertProblem(login("198.51.100.20", "v4-" + i), 401, "invalid-credentials");
        }
        assertProblem(login("198.51.100.20", "v4-4"), 429, "too-many-requests");
        assertProblem(login("198.51.100.21", "v4-5"), 401, "invalid-credentials");
    }

    private HttpResponse<String> login(String address, String who) {
        return http.send(http.request("/api/auth/login").header("Content-Type", "application/json")
                .header("X-Forwarded-For", address)
                .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"" + who + "@example.test\",\"password\":"
                        + "\"not-the-password-at-all\"}")).build());
    }
}
