package dev.switchboard.shared;

import static dev.switchboard.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.switchboard.support.Accounts.Session;
import dev.switchboard.support.ApiTestSupport;
import dev.switchboard.support.HttpTestClient;
import dev.switchboard.support.IntegrationTest;
import tools.jackson.databind.JsonNode;

/**
 * Every filter that decides on a path decides on the path routing uses: each encoding of a guarded path is
 * either refused with 400 or given exactly the decision of its canonical form. The test client is on
 * loopback, which Tomcat trusts as a proxy, so {@code X-Forwarded-For} makes a request remote.
 */
@IntegrationTest
class PathNormalisationIntegrationTests extends ApiTestSupport {

    static final String REMOTE = "203.0.113.7";

    RawHttp raw;

    @BeforeEach
    void rawClient() {
        raw = new RawHttp(port);
    }

    /** Forms whose meaning depends on who decodes them, for each guarded path. */
    static Stream<String> ambiguousForms() {
        return Stream.of("/metrics", "/health", "/api/auth/me", "/api/auth/login", "/api/documents", "/api/keys")
                .flatMap(path -> Stream.of(
                        "/" + path,
                        path.replaceFirst("/", "//"),
                        "/." + path,
                        path + "/.",
                        "/x/.." + path,
                        "/x/%2E%2E" + path,
                        "/x/%2e%2e" + path,
                        path + ";jsessionid=x",
                        path + ";x=1",
                        path + "%3Bjsessionid=x",
                        path.replaceFirst("/([a-z])", "/%25" + Integer.toHexString(path.charAt(1))),
                        path.replaceFirst("/([a-z]+)/", "/$1%2F"),
                        path.replaceFirst("/([a-z]+)/", "/$1%5C"),
                        path.replaceFirst("/([a-z]+)/", "/$1\\\\"),
                        path + "%00",
                        path + "%zz")
                        .filter(form -> !form.equals(path)))
                .distinct();
    }

    @ParameterizedTest
    @MethodSource("ambiguousForms")
    void ambiguousPathsAreRefusedWithAProblem(String path) {
        for (String method : List.of("GET", "POST")) {
            HttpResponse<String> response = raw.send(method, path, List.of("X-Forwarded-For", REMOTE,
                    "Content-Type", "application/json", "Cookie", "SB_SESSION=stale"), "{}");
            assertThat(response.statusCode()).as("%s %s", method, path).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type")).as(path)
                    .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
            assertThat(response.body()).doesNotContain("jvm_memory", "\"UP\"");
        }
    }

    @Test
    void ambiguousPathsNameTheRule() {
        JsonNode problem = assertProblem(raw.get("/api//auth/me"), 400, "ambiguous-path");
        assertThat(problem.path("detail").asString()).contains("'//'");
        assertProblem(raw.get("/metrics;jsessionid=x"), 400, "ambiguous-path");
        assertProblem(raw.get("/api/%2e%2e/metrics"), 400, "ambiguous-path");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/%6detrics", "/%6D%65%74%72%69%63%73", "/metric%73", "/metrics/", "/METRICS", "/Metrics"})
    void remoteClientsNeverReadMetricsWhateverTheEncoding(String path) {
        HttpResponse<String> response = raw.get(path, "X-Forwarded-For", REMOTE);
        assertProblem(response, 404, "not-found");
        assertThat(response.body()).doesNotContain("jvm_memory");
    }

    @Test
    void encodedMetricsPathIsTheMetricsEndpointForLoopback() {
        assertThat(raw.get("/%6detrics").body()).contains("jvm_memory_used_bytes");
        assertThat(raw.get("/%6detrics", "X-Forwarded-For", REMOTE, "Authorization", "Bearer "
                + "test-metrics-token-0123456789").body()).contains("jvm_memory_used_bytes");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/health", "/%68ealth", "/heal%74h", "/health/", "/%68ealth/"})
    void healthAliasIsLivenessWhateverTheEncoding(String path) {
        HttpResponse<String> response = raw.get(path);
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        assertThat(HttpTestClient.json(response).path("components").propertyNames()).as(path)
                .containsExactlyInAnyOrder("livenessState", "ping");
    }

    @Test
    void encodedApiPathsAreRateLimitedAndMetered() {
        Session admin = accounts.newTenantAdmin();
        JsonNode key = HttpTestClient.json(accounts.send(admin, "POST", "/api/keys", "{\"name\":\"encoded\"}"));
        String secret = key.path("key").asString();
        List<String> forms = List.of("/api/auth/me", "/%61pi/auth/me", "/api/%61uth/%6De", "/%41pi/auth/me",
                "/api/auth/me/");
        for (String form : forms) {
            HttpResponse<String> response = raw.get(form, "X-API-Key", secret);
            if (form.startsWith("/%41") || form.endsWith("/")) {
                // "/Api" is not "/api": not routed, and not an API request either. "/api/auth/me/" is no route
                // (MVC does not match a trailing slash), so the API's deny-by-default refuses it before metering.
                assertThat(response.statusCode()).as(form).isNotEqualTo(200);
                continue;
            }
            assertThat(response.headers().firstValue("RateLimit-Remaining")).as("rate limit of %s", form).isPresent();
        }
        JsonNode usage = HttpTestClient.json(accounts.send(admin, "GET",
                "/api/keys/" + key.path("id").asString() + "/usage", null));
        long requests = usage.path("rows").valueStream().mapToLong(row -> row.path("requests").asLong()).sum();
        assertThat(requests).isEqualTo(3);
    }

    @Test
    void encodedUploadPathKeepsTheUploadBodyLimit() {
        // Over switchboard.http.max-body (1 MB), under the upload limit.
        String body = "x".repeat(2_000_000);
        List<String> headers = List.of("Content-Type", "application/octet-stream");
        HttpResponse<String> canonical = raw.send("POST", "/api/documents", headers, body);
        assertThat(canonical.statusCode()).isNotEqualTo(413);
        for (String form : List.of("/%61pi/documents", "/api/%64ocuments")) {
            assertThat(raw.send("POST", form, headers, body).statusCode()).as(form).isEqualTo(canonical.statusCode());
        }
        // The declared length alone decides a refusal; nothing reads the body.
        assertProblem(raw.send("POST", "/%61pi/keys", List.of("Content-Type", "application/json",
                "Content-Length", "2000000"), null), 413, "payload-too-large");
    }

    @Test
    void signInIsExemptFromCsrfWhateverTheEncoding() {
        Session admin = accounts.newTenantAdmin();
        String wrong = "{\"email\":\"" + admin.email() + "\",\"password\":\"not-the-password-at-all\"}";
        // A browser still signed in (session cookie, no CSRF header) signs in again.
        List<String> cookies = List.of("Content-Type", "application/json", "Cookie", "SB_SESSION=" + admin.accessToken());
        assertProblem(raw.send("POST", "/api/auth/login", cookies, wrong), 401, "invalid-credentials");
        for (String form : List.of("/%61pi/auth/login", "/api/auth/%6cogin")) {
            assertProblem(raw.send("POST", form, cookies, wrong), 401, "invalid-credentials");
        }
        // And a state-changing request under another encoding still needs the CSRF token.
        assertProblem(raw.send("POST", "/%61pi/keys", List.of("Content-Type", "application/json",
                "Cookie", "SB_SESSION=" + admin.accessToken()), "{\"name\":\"k\"}"), 403, "csrf");
    }
}
