package dev.switchboard.chat.internal.openai;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.switchboard.chat.internal.ChatProperties;
import tools.jackson.databind.JsonNode;

/** Reads a {@code POST /v1/embeddings} body, refusing by name what is not served and what is over the limits. */
final class EmbeddingRequests {

    private static final Set<String> SERVED = Set.of("model", "input", "encoding_format", "dimensions", "user");

    private EmbeddingRequests() {
    }

    static CreateEmbeddingRequest parse(JsonNode body, ChatProperties.EmbeddingLimits limits) {
        if (body == null || !body.isObject()) {
            throw BadParameter.at(null, "The request body is a JSON object.");
        }
        for (String name : body.propertyNames()) {
            if (!SERVED.contains(name)) {
                throw BadParameter.at(name, "Switchboard does not support the parameter '" + name + "' of the embeddings API; "
                        + "leave it out.");
            }
        }
        JsonNode model = body.path("model");
        if (!model.isString() || model.asString().isBlank()) {
            throw BadParameter.at("model", "model is required: the embedding model GET /v1/models lists.");
        }
        JsonNode format = body.path("encoding_format");
        if (!format.isMissingNode() && !format.isNull() && !format.isString()
                || format.isString() && !format.asString().equals("float") && !format.asString().equals("base64")) {
            throw BadParameter.at("encoding_format", "encoding_format is float or base64.");
        }
        JsonNode dimensions = body.path("dimensions");
        if (!dimensions.isMissingNode() && !dimensions.isNull() && !dimensions.isIntegralNumber()) {
            throw BadParameter.at("dimensions", "dimensions is a whole number.");
        }
        JsonNode user = body.path("user");
        return new CreateEmbeddingRequest(model.asString(), input(body.path("input"), limits), "base64".equals(format.asString("")),
                dimensions.isIntegralNumber() ? Integer.valueOf(dimensions.asInt()) : null, user.isString() ? user.asString() : null);
    }

    private static List<String> input(JsonNode input, ChatProperties.EmbeddingLimits limits) {
        if (input.isString()) {
            return List.of(text(input, "input", limits));
        }
        if (!input.isArray() || input.isEmpty()) {
            throw BadParameter.at("input", "input is a string or a non-empty list of strings.");
        }
        if (input.size() > limits.maxInputs()) {
            throw BadParameter.at("input", "At most " + limits.maxInputs() + " inputs per request; this one has " + input.size()
                    + ". Split it into several requests.");
        }
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < input.size(); i++) {
            texts.add(text(input.get(i), "input[" + i + "]", limits));
        }
        return texts;
    }

    private static String text(JsonNode text, String param, ChatProperties.EmbeddingLimits limits) {
        if (!text.isString()) {
            throw BadParameter.at(param, "Each input is a string; token arrays are not supported.");
        }
        if (text.asString().isBlank()) {
            throw BadParameter.at(param, "An input must not be empty.");
        }
        if (text.asString().length() > limits.maxInputChars()) {
            throw BadParameter.at(param, "An input is at most " + limits.maxInputChars() + " characters; this one has "
                    + text.asString().length() + ".");
        }
        return text.asString();
    }
}
