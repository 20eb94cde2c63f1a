package dev.switchboard.identity;

import static dev.switchboard.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.switchboard.support.HttpTestClient;
import dev.switchboard.support.IntegrationTest;

@IntegrationTest
class SecurityHeadersIntegrationTests {

    @LocalServerPort
    int port;

    HttpTestClient http;

    @BeforeEach
    void client() {
        http = new HttpTestClient(port);
    }

    @Test
    void everyKindOfResponseCarriesTheSecurityHeaders() {
        String big = "x".repeat(1_100_000);
        for (HttpResponse<String> response : new HttpResponse[] {
                http.get("/health"),
                http.get("/no/such/path"),
                http.postJson("/test/probe/echo", big),
                http.get("/test/probe/boom"),
                http.get("/metrics", "X-Forwarded-For", "203.0.113.7")}) {
            assertSecurityHeaders(response);
        }
    }

    @Test
    void hstsOnlyOverHttps() {
        assertThat(http.get("/health").headers().firstValue("Strict-Transport-Security")).isEmpty();
        HttpResponse<String> viaProxy = http.get("/health", "X-Forwarded-Proto", "https");
        assertThat(viaProxy.headers().firstValue("Strict-Transport-Security")).hasValueSatisfying(value -> assertThat(value).contains(
                "max-age=31536000").contains("includeSubDomains"));
    }

    @Test
    void corsPreflightFromAllowedOrigin() {
        HttpResponse<String> response = http.send(preflight("https://app.example.com"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://app.example.com");
        assertThat(response.headers().firstValue("Access-Control-Allow-Methods")).hasValueSatisfying(methods -> assertThat(methods)
                .contains("POST"));
    }

    @Test
    void corsFromOtherOriginsIsRefused() {
        HttpResponse<String> response = http.send(preflight("https://evil.example.net"));
        assertProblem(response, 403, "cors-origin-refused");
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        HttpResponse<String> simple = http.get("/health", "Origin", "https://evil.example.net");
        assertThat(simple.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    private HttpRequest preflight(String origin) {
        return http.request("/test/probe/echo")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", origin)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type")
                .build();
    }

    static void assertSecurityHeaders(HttpResponse<String> response) {
        var headers = response.headers();
        assertThat(headers.firstValue("Content-Security-Policy")).as("CSP on %s", response.uri())
                .hasValueSatisfying(csp -> assertThat(csp).contains("default-src 'self'").contains("frame-ancestors 'none'"));
        assertThat(headers.firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(headers.firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(headers.firstValue("Referrer-Policy")).hasValue("same-origin");
        assertThat(headers.firstValue("Permissions-Policy")).hasValueSatisfying(p -> assertThat(p).contains("camera=()"));
        assertThat(headers.firstValue("X-Request-Id")).isPresent();
    }
}
