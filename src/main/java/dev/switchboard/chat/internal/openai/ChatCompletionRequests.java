package dev.switchboard.chat.internal.openai;

import tools.jackson.databind.JsonNode;

/**
 * Reads a {@code POST /v1/chat/completions} body into a {@link ChatCompletionRequest}, refusing a bad parameter by name
 * in OpenAI's error shape (which Bean Validation's field errors are not).
 */
final class ChatCompletionRequests {

    private ChatCompletionRequests() {
    }

    static ChatCompletionRequest parse(JsonNode body) {
        String model = text(body, "model");
        if (model == null || model.isBlank()) {
            throw BadParameter.at("model", "model is required: the slug of a persona (GET /v1/models lists them).");
        }
        Double temperature = body.hasNonNull("temperature") ? body.path("temperature").asDouble() : null;
        if (temperature != null && (temperature < 0 || temperature > 2)) {
            throw BadParameter.at("temperature", "temperature must be between 0 and 2.");
        }
        Integer maxTokens = body.hasNonNull("max_completion_tokens") ? Integer.valueOf(body.path("max_completion_tokens").asInt())
                : body.hasNonNull("max_tokens") ? Integer.valueOf(body.path("max_tokens").asInt()) : null;
        if (maxTokens != null && maxTokens < 1) {
            throw BadParameter.at(body.hasNonNull("max_completion_tokens") ? "max_completion_tokens" : "max_tokens",
                    "max_tokens must be positive.");
        }
        String user = text(body, "user");
        if (user != null && user.length() > 256) {
            throw BadParameter.at("user", "user is at most 256 characters.");
        }
        return new ChatCompletionRequest(model, body.path("messages"), body.path("tools"), body.path("tool_choice"), temperature,
                maxTokens, body.path("stream").asBoolean(false), new ChatCompletionRequest.StreamOptions(
                        body.path("stream_options").path("include_usage").asBoolean(false)), user);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isString() ? value.asString() : null;
    }
}
