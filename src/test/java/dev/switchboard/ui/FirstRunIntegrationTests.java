package dev.switchboard.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import dev.switchboard.support.Accounts;
import dev.switchboard.support.HttpTestClient;
import dev.switchboard.support.IntegrationTest;

/**
 * The first run over HTTP: while no user exists every page leads to /setup, which creates the first admin for the
 * holder of the logged set-up code, once — of many concurrent requests exactly one creates anything.
 */
@IntegrationTest
@ExtendWith(OutputCaptureExtension.class)
@TestPropertySource(properties = {"switchboard.bootstrap.admin-email=", "switchboard.bootstrap.admin-password=",
        "switchboard.security.jwt-secret=first-run-tests-jwt-secret-0123456789-abcdef"})
class FirstRunIntegrationTests {

    static final String PASSWORD = "first-run-password-12";

    @LocalServerPort
    int port;

    @Test
    void onlyTheHolderOfTheSetupCodeCreatesTheFirstAdminAndOnlyOnce(CapturedOutput output) throws Exception {
        HttpTestClient http = new HttpTestClient(port);
        String code = SetupCodes.fromLog(output);
        assertThat(http.get("/").headers().firstValue("Location")).hasValueSatisfying(to -> assertThat(to).endsWith("/setup"));
        assertThat(http.get("/sign-in").headers().firstValue("Location")).hasValueSatisfying(to -> assertThat(to).endsWith("/setup"));
        HttpResponse<String> page = http.get("/setup");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Set-up code", "name=\"code\"");

        HttpResponse<String> wrongCode = post(http, "NOT-THE-CODE", "someone@first.test", PASSWORD, PASSWORD);
        assertThat(wrongCode.statusCode()).isEqualTo(403);
        assertThat(wrongCode.body()).contains("not this server&#39;s set-up code");
        HttpResponse<String> differing = post(http, code, "someone@first.test", PASSWORD, PASSWORD + "x");
        assertThat(differing.statusCode()).isEqualTo(400);
        assertThat(differing.body()).contains("The two passwords differ");
        HttpResponse<String> weak = post(http, code, "someone@first.test", "short", "short");
        assertThat(weak.statusCode()).isEqualTo(400);
        assertThat(weak.body()).contains("The password");
        assertThat(http.get("/setup").statusCode()).as("nothing was created yet").isEqualTo(200);

        List<String> locations = concurrentFirstRuns(http, code.toLowerCase(java.util.Locale.ROOT).replace("-", " "), 6);
        assertThat(locations).filteredOn(location -> location.endsWith("/sign-in?notice=created")).hasSize(1);
        assertThat(locations).filteredOn(location -> location.endsWith("/sign-in")).hasSize(5);

        String winner = "admin-" + locations.indexOf(locations.stream().filter(l -> l.endsWith("created")).findFirst().orElseThrow())
                + "@first.test";
        Accounts.Session admin = new Accounts(http).login(winner, PASSWORD);
        HttpResponse<String> users = http.get("/api/users", "Authorization", admin.bearer());
        assertThat(users.statusCode()).isEqualTo(200);
        assertThat(HttpTestClient.json(users).size()).as("users: %s", users.body()).isEqualTo(1);
        assertThat(http.get("/setup").headers().firstValue("Location")).as("first run is closed")
                .hasValueSatisfying(to -> assertThat(to).endsWith("/sign-in"));
        assertThat(post(http, code, "late@first.test", PASSWORD, PASSWORD).headers().firstValue("Location"))
                .hasValueSatisfying(to -> assertThat(to).endsWith("/sign-in"));
    }

    /** {@code count} first-run posts released at once; the redirect each got, by the index in its e-mail address. */
    private List<String> concurrentFirstRuns(HttpTestClient http, String code, int count) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(count);
        try {
            List<Future<HttpResponse<String>>> posts = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String email = "admin-" + i + "@first.test";
                posts.add(pool.submit(() -> {
                    start.await();
                    return post(http, code, email, PASSWORD, PASSWORD);
                }));
            }
            start.countDown();
            List<String> locations = new ArrayList<>();
            for (Future<HttpResponse<String>> post : posts) {
                HttpResponse<String> response = post.get();
                assertThat(response.statusCode()).as(response.body()).isEqualTo(302);
                locations.add(response.headers().firstValue("Location").orElseThrow());
            }
            return locations;
        }
        finally {
            pool.shutdownNow();
        }
    }

    private static HttpResponse<String> post(HttpTestClient http, String code, String email, String password, String confirmation) {
        String form = Stream.of("code=" + code, "email=" + email, "password=" + password, "confirmation=" + confirmation)
                .map(pair -> pair.substring(0, pair.indexOf('=') + 1)
                        + URLEncoder.encode(pair.substring(pair.indexOf('=') + 1), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return http.send(http.request("/setup").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build());
    }
}
