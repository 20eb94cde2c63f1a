package dev.switchboard.identity;

import static dev.switchboard.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import dev.switchboard.identity.internal.password.PasswordHashingSlots;
import dev.switchboard.support.Accounts;
import dev.switchboard.support.Accounts.Session;
import dev.switchboard.support.ApiTestSupport;
import dev.switchboard.support.HttpTestClient;
import dev.switchboard.support.IntegrationTest;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * A burst of sign-ins above the password-hashing bound: every one signs in or is told to retry (503 with
 * Retry-After), none fails with 500 or a pool time-out, and no more hashes run at once than allowed. The pool is
 * smaller than the burst and its time-out shorter than the wait for a hashing slot: a sign-in that held a connection
 * while it waited would make the others time out on the pool.
 */
@IntegrationTest
@TestPropertySource(properties = {"switchboard.identity.password-hashing.max-concurrent=2",
        "switchboard.identity.password-hashing.max-wait=PT3S", "spring.datasource.hikari.maximum-pool-size=4",
        "spring.datasource.hikari.connection-timeout=1000"})
class SignInBurstIntegrationTests extends ApiTestSupport {

    @Autowired
    PasswordHashingSlots slots;

    @Autowired
    MeterRegistry meters;

    @Test
    void aBurstAboveTheBoundSignsInOrIsToldToRetry() throws Exception {
        Session admin = accounts.newTenantAdmin();
        List<HttpResponse<String>> responses = burst(admin.email(), 16);
        int signedIn = 0;
        for (HttpResponse<String> response : responses) {
            if (response.statusCode() == 200) {
                signedIn++;
                assertThat(HttpTestClient.json(response).path("accessToken").asString()).startsWith("eyJ");
            }
            else {
                assertProblem(response, 503, response.body().contains(PasswordHashingSlots.BUSY)
                        ? PasswordHashingSlots.BUSY : "service-unavailable");
                assertThat(response.headers().firstValue("Retry-After")).isPresent();
            }
        }
        assertThat(signedIn).isPositive();
        double peak = meters.get("switchboard.password_hashing.peak").gauge().value();
        assertThat(peak).isBetween(1.0, 2.0);
        assertThat(meters.get("switchboard.password_hashing.limit").gauge().value()).isEqualTo(2);
    }

    @Test
    void signInsWaitingForAHashingSlotHoldNoConnection() throws Exception {
        Session admin = accounts.newTenantAdmin();
        List<HttpResponse<String>> responses;
        try (PasswordHashingSlots.Slot first = slots.acquire(); PasswordHashingSlots.Slot second = slots.acquire()) {
            responses = burst(admin.email(), 8);
            assertThat(slots.waiting()).isZero();
        }
        for (HttpResponse<String> response : responses) {
            assertProblem(response, 503, PasswordHashingSlots.BUSY);
            assertThat(response.headers().firstValue("Retry-After")).hasValueSatisfying(
                    seconds -> assertThat(Long.parseLong(seconds)).isPositive());
        }
        assertThat(accounts.login(admin.email(), Accounts.PASSWORD).accessToken()).startsWith("eyJ");
    }

    private List<HttpResponse<String>> burst(String email, int count) throws Exception {
        String body = "{\"email\":\"" + email + "\",\"password\":\"" + Accounts.PASSWORD + "\"}";
        List<Future<HttpResponse<String>>> futures = new ArrayList<>();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < count; i++) {
                futures.add(clients.submit(() -> http.postJson("/api/auth/login", body)));
            }
            List<HttpResponse<String>> responses = new ArrayList<>();
            for (Future<HttpResponse<String>> future : futures) {
                responses.add(future.get());
            }
            return responses;
        }
    }
}
