package dev.switchboard.chat.internal.openai;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /v1/chat/completions}, the parameters Switchboard reads ({@link ChatCompletionRequests} checks them; any
 * other OpenAI parameter is ignored, as before). {@code messages}, {@code tools} and {@code tool_choice} take several
 * shapes in OpenAI's API and are read by {@link ClientMessages} and {@link ClientTools}.
 *
 * @param maxTokens {@code max_completion_tokens}, or else the older {@code max_tokens}
 */
@Schema(name = "ChatCompletionRequest", description = "OpenAI's chat completions request; model is a persona's slug.")
record ChatCompletionRequest(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "helper") String model,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "Free-form: OpenAI's messages (role system, "
                + "developer, user, assistant with tool_calls, or tool with tool_call_id; content a string or text parts).") JsonNode messages,
        @Schema(description = "Free-form: function tools {type: function, function: {name, description, parameters}}; the "
                + "client runs them.") JsonNode tools,
        @JsonProperty("tool_choice") @Schema(description = "Free-form: none, auto, required or {type: function, function: "
                + "{name}}.") JsonNode toolChoice,
        @Schema(minimum = "0", maximum = "2") Double temperature,
        @JsonProperty("max_completion_tokens") @Schema(minimum = "1") Integer maxTokens, boolean stream,
        @JsonProperty("stream_options") StreamOptions streamOptions,
        @Schema(maxLength = 256, description = "The end user, for abuse tracing: written into every log line of the request.") String user) {

    /** {@code include_usage}: a last chunk with the tokens used. */
    @Schema(name = "ChatCompletionStreamOptions")
    record StreamOptions(@JsonProperty("include_usage") boolean includeUsage) {
    }

    boolean includeUsage() {
        return streamOptions != null && streamOptions.includeUsage();
    }
}
