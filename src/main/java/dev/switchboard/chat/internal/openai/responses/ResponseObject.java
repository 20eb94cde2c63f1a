package dev.switchboard.chat.internal.openai.responses;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import tools.jackson.databind.JsonNode;

/**
 * A response as OpenAI's Responses API returns it, with every field its SDKs require (several of them nullable but
 * present). {@code tools} and {@code tool_choice} echo the request. {@code switchboard} carries what OpenAI's object has
 * no place for.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
record ResponseObject(String id, String object, @JsonProperty("created_at") long createdAt, Status status,
        @JsonProperty("completed_at") Long completedAt, Error error,
        @JsonProperty("incomplete_details") IncompleteDetails incompleteDetails,
        String instructions, @JsonProperty("max_output_tokens") Integer maxOutputTokens, String model, List<OutputItem> output,
        @JsonProperty("parallel_tool_calls") boolean parallelToolCalls, @JsonProperty("previous_response_id") String previousResponseId,
        Double temperature,
        @JsonProperty("tool_choice") @Schema(description = "Free-form: the request's tool_choice, echoed (none, auto, required "
                + "or {type: function, name}).") JsonNode toolChoice,
        @Schema(description = "Free-form: the request's tools, echoed.") JsonNode tools, @JsonProperty("top_p") Double topP,
        String truncation, boolean store, Usage usage, String user,
        @Schema(description = "Free-form: the request's metadata, echoed (string values).") Map<String, String> metadata,
        Switchboard switchboard) {

    /** A response's status, as OpenAI spells it. */
    enum Status {
        @JsonProperty("in_progress")
        IN_PROGRESS, @JsonProperty("completed")
        COMPLETED, @JsonProperty("failed")
        FAILED
    }

    /** An item of {@code output}: the assistant's message or a call of one of the client's functions. */
    @Schema(name = "ResponseOutputItem", oneOf = {Message.class, FunctionCall.class})
    sealed interface OutputItem permits Message, FunctionCall {

        String id();
    }

    /** The assistant's message: one {@code output_text} part. */
    @Schema(name = "ResponseOutputMessage")
    record Message(String id, String type, String role, String status, List<OutputText> content) implements OutputItem {

        static Message of(String id, String status, List<OutputText> content) {
            return new Message(id, "message", "assistant", status, content);
        }
    }

    /** The answer's text, with an annotation per passage it cites. */
    @Schema(name = "ResponseOutputText")
    record OutputText(String type, String text, List<FileCitation> annotations, List<Logprob> logprobs) {

        static OutputText of(String text, List<FileCitation> annotations) {
            return new OutputText("output_text", text, annotations, List.of());
        }
    }

    /** A token's log probability, as OpenAI describes it; Switchboard returns none (an empty list). */
    @Schema(name = "ResponseLogprob")
    record Logprob(String token, double logprob, List<Integer> bytes) {
    }

    /** Why a response is incomplete, as OpenAI describes it; Switchboard sends null (failed responses carry an error). */
    @Schema(name = "ResponseIncompleteDetails")
    record IncompleteDetails(String reason) {
    }

    /**
     * A citation of a knowledge document, where its marker ({@code [1]}) stands in the text.
     *
     * @param fileId the document's id
     * @param index the marker's position in the text
     */
    @Schema(name = "ResponseFileCitation")
    record FileCitation(String type, @JsonProperty("file_id") String fileId, String filename, int index) {
    }

    /** A call of one of the client's functions, for the client to run and answer with a {@code function_call_output}. */
    @Schema(name = "ResponseFunctionCall")
    record FunctionCall(String id, String type, @JsonProperty("call_id") String callId, String name, String arguments,
            String status) implements OutputItem {

        static FunctionCall of(String id, String callId, String name, String arguments, String status) {
            return new FunctionCall(id, "function_call", callId, name, arguments, status);
        }
    }

    /** Why a response failed: {@code code} and a message for people. */
    @Schema(name = "ResponseError")
    record Error(String code, String message) {
    }

    /** The tokens of every model call of the response. */
    @Schema(name = "ResponseUsage")
    record Usage(@JsonProperty("input_tokens") long inputTokens, @JsonProperty("input_tokens_details") InputDetails inputDetails,
            @JsonProperty("output_tokens") long outputTokens,
            @JsonProperty("output_tokens_details") OutputDetails outputDetails, @JsonProperty("total_tokens") long totalTokens) {

        static Usage of(dev.switchboard.llm.Usage used) {
            return new Usage(used.inputTokens(), new InputDetails(0), used.outputTokens(), new OutputDetails(0), used.totalTokens());
        }
    }

    @Schema(name = "ResponseInputTokensDetails")
    record InputDetails(@JsonProperty("cached_tokens") long cachedTokens) {
    }

    @Schema(name = "ResponseOutputTokensDetails")
    record OutputDetails(@JsonProperty("reasoning_tokens") long reasoningTokens) {
    }

    /**
     * Who answered, after which attempts, in which session.
     *
     * @param sessionId the Switchboard session the response is a turn of (null with {@code store: false})
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "ResponseSwitchboard")
    record Switchboard(String target, boolean failover, List<dev.switchboard.llm.Attempt> attempts, String sessionId,
            Integer agentVersion) {
    }
}
