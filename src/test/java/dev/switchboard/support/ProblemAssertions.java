package dev.switchboard.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;

import tools.jackson.databind.JsonNode;

/** What every error response of Switchboard must look like (RFC 9457 plus requestId), and never contain. */
public final class ProblemAssertions {

    private ProblemAssertions() {
    }

    /** Asserts a complete problem+json response with the status and type slug; returns its body. */
    public static JsonNode assertProblem(HttpResponse<String> response, int status, String slug) {
        assertThat(response.statusCode()).as("status of %s", response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode body = HttpTestClient.json(response);
        assertThat(body.path("type").asString()).isEqualTo("urn:switchboard:problem:" + slug);
        assertThat(body.path("title").asString()).isNotBlank();
        assertThat(body.path("status").asInt()).isEqualTo(status);
        assertThat(body.path("detail").asString()).isNotBlank();
        assertThat(body.path("instance").asString()).startsWith("/");
        String requestId = response.headers().firstValue("X-Request-Id").orElseThrow();
        assertThat(body.path("requestId").asString()).isEqualTo(requestId);
        assertNoInternals(response.body());
        return body;
    }

    /** No stack trace, exception class, SQL text or probe secret. */
    public static void assertNoInternals(String body) {
        assertThat(body).doesNotContain("Exception", "exception", "\tat ", "java.", "org.springframework",
                "SQL", "select ", ProbeController.INTERNAL_SECRET);
    }
}
