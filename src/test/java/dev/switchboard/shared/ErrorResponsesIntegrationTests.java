package dev.switchboard.shared;

import static dev.switchboard.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.switchboard.support.HttpTestClient;
import dev.switchboard.support.IntegrationTest;
import tools.jackson.databind.JsonNode;

/** Every kind of error is an RFC 9457 problem with requestId, and none leaks internals. */
@IntegrationTest
@ExtendWith(OutputCaptureExtension.class)
class ErrorResponsesIntegrationTests {

    @LocalServerPort
    int port;

    HttpTestClient http;

    @BeforeEach
    void client() {
        http = new HttpTestClient(port);
    }

    @Test
    void unknownPathIsNotFound() {
        JsonNode body = assertProblem(http.get("/no/such/thing"), 404, "not-found");
        assertThat(body.path("instance").asString()).isEqualTo("/no/such/thing");
        assertThat(body.path("detail").asString()).contains("GET /no/such/thing");
    }

    @Test
    void unknownPathAskedForHtmlIsStillProblemJson() {
        assertProblem(http.get("/no/such/page", "Accept", "text/html"), 404, "not-found");
    }

    @Test
    void wrongMethodIsMethodNotAllowedWithAllowHeader() {
        HttpResponse<String> response = http.send(http.request("/test/probe/echo").GET().build());
        assertProblem(response, 405, "method-not-allowed");
        assertThat(response.headers().firstValue("Allow")).hasValue("POST");
    }

    @Test
    void malformedJsonNamesTheLocation() {
        JsonNode body = assertProblem(http.postJson("/test/probe/echo", "{\"name\": \"x\",,}"), 400, "malformed-body");
        assertThat(body.path("detail").asString()).contains("line 1");
    }

    @Test
    void wrongJsonTypeNamesTheField() {
        JsonNode body = assertProblem(http.postJson("/test/probe/echo", "{\"name\":\"x\",\"count\":{\"a\":1}}"), 400,
                "malformed-body");
        assertThat(body.path("detail").asString()).contains("'count'");
    }

    @Test
    void missingBodyIsBadRequest() {
        assertProblem(http.postJson("/test/probe/echo", ""), 400, "malformed-body");
    }

    @Test
    void validationFailureListsEveryField() {
        JsonNode body = assertProblem(http.postJson("/test/probe/echo", "{\"name\":\" \",\"count\":99}"), 400,
                "validation");
        assertThat(body.path("errors")).hasSize(2);
        assertThat(body.path("errors").findValuesAsString("field")).containsExactlyInAnyOrder("name", "count");
    }

    @Test
    void validRequestPasses() {
        HttpResponse<String> response = http.postJson("/test/probe/echo", "{\"name\":\"Ada\",\"count\":3}");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(HttpTestClient.json(response).path("name").asString()).isEqualTo("Ada");
    }

    @Test
    void missingContentTypeIsUnsupportedMediaType() {
        HttpResponse<String> response = http.send(http.request("/test/probe/echo")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Ada\",\"count\":3}")).build());
        JsonNode body = assertProblem(response, 415, "unsupported-media-type");
        assertThat(body.path("detail").asString()).contains("application/json");
    }

    @Test
    void wrongContentTypeIsUnsupportedMediaType() {
        HttpResponse<String> response = http.send(http.request("/test/probe/echo").header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("hello")).build());
        JsonNode body = assertProblem(response, 415, "unsupported-media-type");
        assertThat(body.path("detail").asString()).contains("text/plain");
    }

    @Test
    void invalidPathVariableIsBadRequestWithoutTypeNames() {
        JsonNode body = assertProblem(http.get("/test/probe/items/not-a-uuid"), 400, "bad-request");
        assertThat(body.path("detail").asString()).contains("'id'").doesNotContain("UUID");
    }

    @Test
    void bodyOverTheLimitIsRefusedBeforeRouting() {
        String big = "{\"name\":\"" + "x".repeat(1_100_000) + "\",\"count\":1}";
        assertProblem(http.postJson("/test/probe/echo", big), 413, "payload-too-large");
        assertProblem(http.postJson("/no/such/endpoint", big), 413, "payload-too-large");
    }

    @Test
    void chunkedBodyOverTheLimitIsRefused() {
        String big = "{\"name\":\"" + "x".repeat(1_100_000) + "\",\"count\":1}";
        HttpRequest request = http.request("/test/probe/echo").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofString(big)))
                .build();
        assertProblem(http.send(request), 413, "payload-too-large");
    }

    @Test
    void chunkedBodyUnderTheLimitIsRead() {
        HttpRequest request = http.request("/test/probe/echo").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofString("{\"name\":\"Ada\",\"count\":2}")))
                .build();
        HttpResponse<String> response = http.send(request);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(HttpTestClient.json(response).path("count").asInt()).isEqualTo(2);
    }

    @Test
    void unexpectedExceptionIsGeneric500LoggedWithRequestId(CapturedOutput output) {
        HttpResponse<String> response = http.get("/test/probe/boom", "X-Request-Id", "boom-request-1");
        JsonNode body = assertProblem(response, 500, "internal-error");
        assertThat(body.path("requestId").asString()).isEqualTo("boom-request-1");
        assertThat(output.getOut()).contains("boom-request-1").contains("IllegalStateException");
    }

    @Test
    void dataAccessFailureRevealsNoSql() {
        assertProblem(http.get("/test/probe/sql"), 500, "internal-error");
    }

    @Test
    void rejectedUrlIsProblemJson() {
        // Spring Security's firewall refuses encoded slashes and similar tricks outside Spring MVC.
        assertProblem(http.get("/test/probe/items/a%2F..%2Fb"), 400, "bad-request");
    }

    @Test
    void anExhaustedConnectionPoolIsATemporaryUnavailability() {
        HttpResponse<String> response = http.get("/test/probe/no-connection");
        assertProblem(response, 503, "service-unavailable");
        assertThat(response.headers().firstValue("Retry-After")).hasValue("2");
    }
}
