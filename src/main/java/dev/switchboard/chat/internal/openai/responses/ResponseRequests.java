package dev.switchboard.chat.internal.openai.responses;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import dev.switchboard.chat.internal.openai.BadParameter;
import tools.jackson.databind.JsonNode;

/**
 * Reads a {@code POST /v1/responses} body into a {@link CreateResponseRequest}, refusing with a 400 naming the
 * parameter ({@code param}) what Switchboard does not serve — rather than ignoring a parameter the client relies on.
 * Parameters that change nothing Switchboard does are accepted when they ask for what it does anyway (e.g.
 * {@code parallel_tool_calls: true}, {@code text.format} {@code text}).
 */
final class ResponseRequests {

    /** Accepted as given; what each means is in docs/openai-compat.md. */
    private static final Set<String> SERVED = Set.of("model", "input", "instructions", "tools", "tool_choice", "temperature",
            "max_output_tokens", "stream", "store", "previous_response_id", "user", "metadata", "parallel_tool_calls", "top_p",
            "truncation", "text", "include", "stream_options", "safety_identifier", "prompt_cache_key", "service_tier");

    /** At most this many metadata keys, as OpenAI allows (keys up to 64 characters, values up to 512). */
    static final int MAX_METADATA = 16;

    private ResponseRequests() {
    }

    static CreateResponseRequest parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw BadParameter.at(null, "The request body is a JSON object.");
        }
        for (String name : body.propertyNames()) {
            if (!SERVED.contains(name)) {
                throw BadParameter.at(name, "Switchboard does not support the parameter '" + name + "' of the Responses API; "
                        + "leave it out (docs/openai-compat.md lists what is supported).");
            }
        }
        String model = text(body, "model");
        if (model == null || model.isBlank()) {
            throw BadParameter.at("model", "model is required: the slug of a persona (GET /v1/models lists them).");
        }
        Double temperature = number(body, "temperature");
        if (temperature != null && (temperature < 0 || temperature > 2)) {
            throw BadParameter.at("temperature", "temperature must be between 0 and 2.");
        }
        Double topP = number(body, "top_p");
        if (topP != null && topP != 1.0) {
            throw BadParameter.at("top_p", "top_p is not supported (only 1, the default); use temperature.");
        }
        JsonNode maxTokens = body.path("max_output_tokens");
        if (!maxTokens.isMissingNode() && !maxTokens.isNull() && (!maxTokens.isIntegralNumber() || maxTokens.asLong() < 1
                || maxTokens.asLong() > Integer.MAX_VALUE)) {
            throw BadParameter.at("max_output_tokens", "max_output_tokens is a positive integer.");
        }
        JsonNode parallel = body.path("parallel_tool_calls");
        if (parallel.isBoolean() && !parallel.asBoolean()) {
            throw BadParameter.at("parallel_tool_calls", "parallel_tool_calls: false is not supported: the model may ask for "
                    + "several calls at once.");
        }
        String truncation = text(body, "truncation");
        if (truncation != null && !truncation.equals("auto") && !truncation.equals("disabled")) {
            throw BadParameter.at("truncation", "truncation is auto or disabled.");
        }
        requireTextFormat(body.path("text"));
        JsonNode include = body.path("include");
        if (include.isArray() && !include.isEmpty()) {
            throw BadParameter.at("include", "include is not supported: leave it out or send an empty list.");
        }
        String previous = text(body, "previous_response_id");
        boolean store = flag(body, "store", true);
        if (previous != null && !store) {
            throw BadParameter.at("store", "store: false cannot continue a stored response: send the whole conversation as "
                    + "input instead of previous_response_id, or store the new response.");
        }
        String user = text(body, "user");
        if (user != null && user.length() > 256) {
            throw BadParameter.at("user", "user is at most 256 characters.");
        }
        return new CreateResponseRequest(model, body.path("input"), text(body, "instructions"), body.path("tools"),
                body.path("tool_choice"), temperature, maxTokens.isIntegralNumber() ? Integer.valueOf(maxTokens.asInt()) : null,
                flag(body, "stream", false), store, previous, user, metadata(body.path("metadata")),
                parallel.isBoolean() ? parallel.asBoolean() : null, topP, truncation == null ? "disabled" : truncation);
    }

    /** {@code text.format} other than plain text (JSON schemas) is not served. */
    private static void requireTextFormat(JsonNode text) {
        if (text.isMissingNode() || text.isNull()) {
            return;
        }
        for (String name : text.propertyNames()) {
            if (!name.equals("format")) {
                throw BadParameter.at("text." + name, "Only text.format is supported.");
            }
        }
        JsonNode format = text.path("format");
        if (!format.isMissingNode() && !format.isNull() && !"text".equals(format.path("type").asString(""))) {
            throw BadParameter.at("text.format", "Only text.format {type: text} is supported; structured output (json_schema, "
                    + "json_object) is not.");
        }
    }

    private static Map<String, String> metadata(JsonNode metadata) {
        if (metadata.isMissingNode() || metadata.isNull()) {
            return Map.of();
        }
        if (!metadata.isObject() || metadata.size() > MAX_METADATA) {
            throw BadParameter.at("metadata", "metadata is an object of at most " + MAX_METADATA + " string values.");
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : metadata.properties()) {
            if (entry.getKey().length() > 64 || !entry.getValue().isString() || entry.getValue().asString().length() > 512) {
                throw BadParameter.at("metadata." + entry.getKey(), "metadata keys are at most 64 characters, values strings of "
                        + "at most 512.");
            }
            values.put(entry.getKey(), entry.getValue().asString());
        }
        return values;
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        if (!value.isString()) {
            throw BadParameter.at(field, field + " is a string.");
        }
        return value.asString();
    }

    private static Double number(JsonNode body, String field) {
        JsonNode value = body.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        if (!value.isNumber()) {
            throw BadParameter.at(field, field + " is a number.");
        }
        return value.asDouble();
    }

    private static boolean flag(JsonNode body, String field, boolean otherwise) {
        JsonNode value = body.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return otherwise;
        }
        if (!value.isBoolean()) {
            throw BadParameter.at(field, field + " is true or false.");
        }
        return value.asBoolean();
    }
}
