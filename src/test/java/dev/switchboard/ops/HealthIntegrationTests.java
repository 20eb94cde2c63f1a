package dev.switchboard.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

import dev.switchboard.support.HttpTestClient;
import dev.switchboard.support.IntegrationTest;
import tools.jackson.databind.JsonNode;

@IntegrationTest
class HealthIntegrationTests {

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    HttpTestClient http;

    @BeforeEach
    void client() {
        http = new HttpTestClient(port);
    }

    @Test
    void healthIsLivenessWithoutDependencies() {
        for (String path : new String[] {"/health", "/health/live"}) {
            HttpResponse<String> response = http.get(path);
            assertThat(response.statusCode()).as(path).isEqualTo(200);
            JsonNode body = HttpTestClient.json(response);
            assertThat(body.path("status").asString()).isEqualTo("UP");
            assertThat(body.path("components").propertyNames()).containsExactlyInAnyOrder("livenessState", "ping");
        }
    }

    @Test
    void readinessIncludesTheDatabaseAndNoDetails() {
        HttpResponse<String> response = http.get("/health/ready");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = HttpTestClient.json(response);
        assertThat(body.path("status").asString()).isEqualTo("UP");
        assertThat(body.path("components").path("db").path("status").asString()).isEqualTo("UP");
        assertThat(body.path("components").path("db").has("details")).isFalse();
        assertThat(body.path("components").path("diskSpace").path("status").asString()).isEqualTo("UP");
        assertThat(body.path("components").path("diskSpace").has("details")).isFalse();
        assertThat(response.body()).doesNotContain("jdbc", "postgres", "password");
    }

    @Test
    void readinessAnswers503WhenNotReady() {
        AvailabilityChangeEvent.publish(context, ReadinessState.REFUSING_TRAFFIC);
        try {
            HttpResponse<String> response = http.get("/health/ready");
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(HttpTestClient.json(response).path("components").path("readinessState").path("status")
                    .asString()).isEqualTo("OUT_OF_SERVICE");
            assertThat(http.get("/health").statusCode()).isEqualTo(200);
        }
        finally {
            AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
        }
    }
}
