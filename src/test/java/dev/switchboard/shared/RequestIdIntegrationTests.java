package dev.switchboard.shared;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.switchboard.support.HttpTestClient;
import dev.switchboard.support.IntegrationTest;

@IntegrationTest
@ExtendWith(OutputCaptureExtension.class)
class RequestIdIntegrationTests {

    @LocalServerPort
    int port;

    HttpTestClient http;

    @BeforeEach
    void client() {
        http = new HttpTestClient(port);
    }

    @Test
    void wellFormedIdIsEchoed() {
        HttpResponse<String> response = http.get("/health", "X-Request-Id", "client-id_1.2:3");
        assertThat(response.headers().firstValue("X-Request-Id")).hasValue("client-id_1.2:3");
    }

    @Test
    void malformedIdIsReplaced() {
        HttpResponse<String> response = http.get("/health", "X-Request-Id", "<script>alert(1)</script>");
        assertThat(response.headers().firstValue("X-Request-Id")).hasValueSatisfying(id -> assertThat(id).matches("[0-9a-f-]{36}"));
    }

    @Test
    void overlongIdIsReplaced() {
        HttpResponse<String> response = http.get("/health", "X-Request-Id", "a".repeat(65));
        assertThat(response.headers().firstValue("X-Request-Id")).hasValueSatisfying(id -> assertThat(id).hasSize(36));
    }

    @Test
    void missingIdIsGeneratedAndDiffersPerRequest() {
        String first = http.get("/health").headers().firstValue("X-Request-Id").orElseThrow();
        String second = http.get("/health").headers().firstValue("X-Request-Id").orElseThrow();
        assertThat(first).isNotEqualTo(second);
    }

    @Test
    void idIsInTheProblemBody() {
        HttpResponse<String> response = http.get("/nowhere", "X-Request-Id", "trace-me-123");
        assertThat(HttpTestClient.json(response).path("requestId").asString()).isEqualTo("trace-me-123");
    }

    @Test
    void idIsInTheLogLinesOfTheRequest(CapturedOutput output) {
        http.get("/test/probe/log?message=hello-from-probe", "X-Request-Id", "log-trace-42");
        assertThat(output.getOut().lines().filter(line -> line.contains("hello-from-probe")))
                .singleElement().satisfies(line -> assertThat(line).contains("log-trace-42"));
    }

    @Test
    void secretsInRequestLogsAreRedacted(CapturedOutput output) {
        http.get("/test/probe/log?message=ada%40example.com%20card%204111%201111%201111%201111",
                "X-Request-Id", "redaction-check");
        String line = output.getOut().lines().filter(l -> l.contains("redaction-check") && l.contains("Probe says"))
                .findFirst().orElseThrow();
        assertThat(line).doesNotContain("ada@example.com", "4111 1111 1111 1111")
                .contains("[REDACTED-EMAIL]", "[REDACTED-CARD]");
    }
}
