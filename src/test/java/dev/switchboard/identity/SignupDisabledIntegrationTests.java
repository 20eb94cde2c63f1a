package dev.switchboard.identity;

import static dev.switchboard.support.ProblemAssertions.assertProblem;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import dev.switchboard.support.Accounts;
import dev.switchboard.support.HttpTestClient;
import dev.switchboard.support.IntegrationTest;

/** Sign-up is off unless switchboard.identity.signup-enabled=true (the default is off). */
@IntegrationTest
@TestPropertySource(properties = "switchboard.identity.signup-enabled=false")
class SignupDisabledIntegrationTests {

    @LocalServerPort
    int port;

    @Test
    void signupIsRefused() {
        assertProblem(new HttpTestClient(port).postJson("/api/auth/signup",
                "{\"tenant\":\"acme\",\"email\":\"founder@acme.test\",\"password\":\"" + Accounts.PASSWORD + "\"}"),
                403, "signup-disabled");
    }
}
