package dev.switchboard.chat.internal.openai.responses;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /v1/responses}, the parameters Switchboard serves ({@link ResponseRequests} names any other). {@code input},
 * {@code tools} and {@code tool_choice} take several shapes in OpenAI's API and are read by {@link ResponseInput} and
 * {@code ClientTools}.
 */
@Schema(name = "CreateResponseRequest", description = "OpenAI's Responses API request; model is a persona's slug.")
record CreateResponseRequest(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "helper") String model,
        @Schema(description = "Free-form: a string, or a list of input items: messages (role user, system, developer or assistant; content "
                + "a string or input_text/output_text parts), function_call and function_call_output.") JsonNode input,
        @Schema(description = "A system message for this response only (not kept with previous_response_id).") String instructions,
        @Schema(description = "Free-form: function tools {type: function, name, description, parameters}; the client runs them.") JsonNode tools,
        @JsonProperty("tool_choice") @Schema(description = "Free-form: none, auto, required or {type: function, name}.") JsonNode toolChoice,
        Double temperature, @JsonProperty("max_output_tokens") Integer maxOutputTokens, boolean stream,
        @Schema(description = "Keep the response as a turn of a session (default true).") boolean store,
        @JsonProperty("previous_response_id") String previousResponseId, String user,
        @Schema(description = "Free-form: up to 16 string values, echoed in the response.") Map<String, String> metadata,
        @JsonProperty("parallel_tool_calls") Boolean parallelToolCalls, @JsonProperty("top_p") Double topP, String truncation) {
}
