package dev.switchboard.shared;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.switchboard.support.HttpTestClient;
import dev.switchboard.support.IntegrationTest;
import tools.jackson.databind.JsonNode;

@IntegrationTest
class ApiDocsIntegrationTests {

    @LocalServerPort
    int port;

    HttpTestClient http;

    @BeforeEach
    void client() {
        http = new HttpTestClient(port);
    }

    @Test
    void openApiDescribesEndpointsAndTheirProblemResponses() {
        HttpResponse<String> response = http.get("/api/docs/openapi.json");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode api = HttpTestClient.json(response);
        assertThat(api.path("openapi").asString()).startsWith("3.");
        assertThat(api.path("info").path("title").asString()).isEqualTo("Switchboard API");
        assertThat(api.path("components").path("schemas").has("Problem")).isTrue();
        JsonNode echo = api.path("paths").path("/test/probe/echo").path("post");
        assertThat(echo.path("requestBody").isMissingNode()).isFalse();
        assertThat(echo.path("responses").path("400").path("content").has("application/problem+json")).isTrue();
        assertThat(echo.path("responses").path("200").isMissingNode()).isFalse();
        assertThat(api.path("paths").path("/health/ready").path("get").path("responses").has("503")).isTrue();
        assertThat(api.path("paths").has("/metrics")).isTrue();
    }

    @Test
    void swaggerUiIsServed() {
        HttpResponse<String> redirect = http.get("/api/docs");
        assertThat(redirect.statusCode()).isEqualTo(302);
        String location = redirect.headers().firstValue("Location").orElseThrow();
        HttpResponse<String> page = http.get(location.replaceFirst("^https?://[^/]+", ""));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("swagger-ui");
        String initializer = http.get(location.replaceFirst("^https?://[^/]+", "").replace("index.html",
                "swagger-initializer.js")).body();
        assertThat(initializer).contains("/api/docs/openapi.json/swagger-config");
    }
}
