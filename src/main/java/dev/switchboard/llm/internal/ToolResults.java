package dev.switchboard.llm.internal;

import java.util.Map;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tool results in the shape a provider insists on. Gemini's {@code functionResponse.response} must be a JSON
 * object, and Spring AI's Gemini client reads the result leniently as JSON: a plain-text result such as
 * {@code 21 degrees, "sunny"} arrived as {@code {"result": 21}} (ToolCallingTests shows it). So a result that
 * is not a JSON object is sent as {@code {"result": "<the text>"}}, whole.
 */
final class ToolResults {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ToolResults() {
    }

    static String asJsonObject(String result) {
        try {
            JsonNode parsed = JSON.readTree(result);
            if (parsed != null && parsed.isObject()) {
                return result;
            }
        }
        catch (JacksonException notJson) {
            // Plain text: wrapped below.
        }
        return JSON.writeValueAsString(Map.of("result", result));
    }
}
