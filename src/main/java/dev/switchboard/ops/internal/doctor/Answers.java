package dev.switchboard.ops.internal.doctor;

import java.net.http.HttpResponse;
import java.util.Optional;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reading the deployment's answers: JSON bodies, problem details, a short quote of anything else. */
final class Answers {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Characters of an unexpected body quoted in a reason: enough to recognise a proxy's error page. */
    private static final int QUOTE = 160;

    private Answers() {
    }

    static Optional<JsonNode> json(String body) {
        try {
            JsonNode node = JSON.readTree(body);
            return node == null || node.isMissingNode() ? Optional.empty() : Optional.of(node);
        }
        catch (JacksonException ex) {
            return Optional.empty();
        }
    }

    /** "answered 503: <the problem's detail, or the body's first characters>". */
    static String unexpected(HttpResponse<String> response) {
        return "answered " + response.statusCode() + describe(response);
    }

    static String describe(HttpResponse<String> response) {
        String body = response.body() == null ? "" : response.body().strip();
        if (body.isEmpty()) {
            return "";
        }
        String detail = json(body).map(node -> node.path("detail").asString("")).filter(text -> !text.isBlank())
                .orElse(body.replaceAll("\\s+", " "));
        return ": " + (detail.length() > QUOTE ? detail.substring(0, QUOTE) + "…" : detail);
    }

    static Optional<String> header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name);
    }

    static String toJson(Object value) {
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(value);
    }
}
