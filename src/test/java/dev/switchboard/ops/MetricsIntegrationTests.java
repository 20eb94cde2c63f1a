package dev.switchboard.ops;

import static dev.switchboard.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.switchboard.support.HttpTestClient;
import dev.switchboard.support.IntegrationTest;

/**
 * The test client is on loopback, which Tomcat trusts as a proxy: a request carrying {@code X-Forwarded-For}
 * of a public address is therefore treated as that remote client, exactly as behind a local reverse proxy.
 */
@IntegrationTest
class MetricsIntegrationTests {

    static final String REMOTE = "203.0.113.7";
    static final String TOKEN = "test-metrics-token-0123456789";

    @LocalServerPort
    int port;

    HttpTestClient http;

    @BeforeEach
    void client() {
        http = new HttpTestClient(port);
    }

    @Test
    void loopbackClientsReadPrometheusText() {
        http.get("/health");
        HttpResponse<String> response = http.get("/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
        assertThat(response.body())
                .contains("http_server_requests_seconds_count")
                .contains("jvm_memory_used_bytes")
                .contains("hikaricp_connections");
    }

    @Test
    void remoteClientsWithoutTokenGetNotFound() {
        assertProblem(http.get("/metrics", "X-Forwarded-For", REMOTE), 404, "not-found");
    }

    @Test
    void remoteClientsWithWrongTokenGetNotFound() {
        assertProblem(http.get("/metrics", "X-Forwarded-For", REMOTE, "Authorization", "Bearer wrong-token-0123456789"),
                404, "not-found");
    }

    @Test
    void remoteClientsWithTheTokenReadMetrics() {
        HttpResponse<String> response = http.get("/metrics", "X-Forwarded-For", REMOTE,
                "Authorization", "Bearer " + TOKEN);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("jvm_memory_used_bytes");
    }
}
