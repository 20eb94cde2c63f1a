package dev.switchboard.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import dev.switchboard.support.HttpTestClient;
import dev.switchboard.support.IntegrationTest;

@IntegrationTest
@TestPropertySource(properties = "switchboard.security.require-https=true")
class HttpsRedirectIntegrationTests {

    @LocalServerPort
    int port;

    @Test
    void plainHttpIsRedirectedToHttps() {
        HttpResponse<String> response = new HttpTestClient(port).get("/api/docs/openapi.json");
        assertThat(response.statusCode()).isBetween(301, 308);
        assertThat(response.headers().firstValue("Location")).hasValueSatisfying(location -> assertThat(location).startsWith("https://"));
    }

    @Test
    void requestsThatArrivedOverHttpsAtTheProxyAreServed() {
        HttpResponse<String> response = new HttpTestClient(port).get("/api/docs/openapi.json",
                "X-Forwarded-Proto", "https");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Strict-Transport-Security")).isPresent();
    }

    @Test
    void healthProbesStayOnPlainHttp() {
        assertThat(new HttpTestClient(port).get("/health/ready").statusCode()).isEqualTo(200);
    }

    @Test
    void thePrometheusScrapeStaysOnPlainHttp() {
        HttpResponse<String> response = new HttpTestClient(port).get("/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("http_server_requests_seconds");
    }
}
