package dev.switchboard.chat.internal.openai.responses;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.springframework.stereotype.Component;

import dev.switchboard.chat.internal.history.MessageCitation;
import dev.switchboard.chat.internal.openai.ToolCallIds;
import dev.switchboard.llm.LlmResult;
import dev.switchboard.llm.ToolCall;
import dev.switchboard.llm.Usage;
import dev.switchboard.persona.Persona;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/** Builds the response objects of one request: as it starts (in progress), and as it ended. */
@Component
class ResponseObjects {

    private final ToolCallIds ids;

    ResponseObjects(ToolCallIds ids) {
        this.ids = ids;
    }

    /** What the model produced and where it was kept. */
    record Answer(LlmResult result, Usage usage, List<MessageCitation> citations, UUID sessionId) {
    }

    private static final String RESPONSE = "resp_";
    private static final String MESSAGE = "msg_";
    private static final String FUNCTION_CALL = "fc_";

    /** A new response's id: {@code resp_} and 32 random hex digits. */
    static String newId() {
        byte[] random = new byte[16];
        ThreadLocalRandom.current().nextBytes(random);
        return RESPONSE + HexFormat.of().formatHex(random);
    }

    /**
     * The id of a response's output item: {@code msg_<hex>} for its message, {@code fc_<hex>_<n>} for its calls, {@code <hex>}
     * the response's own. So an {@code item_reference} leads straight to the response that holds the item.
     */
    static String itemId(String responseId, String kind, int index) {
        String hex = responseId.substring(RESPONSE.length());
        return kind.equals(MESSAGE) ? MESSAGE + hex : FUNCTION_CALL + hex + "_" + index;
    }

    /** The id of the response an output item id names, or null when it names none. */
    static String responseOf(String itemId) {
        String rest = itemId.startsWith(MESSAGE) ? itemId.substring(MESSAGE.length())
                : itemId.startsWith(FUNCTION_CALL) ? itemId.substring(FUNCTION_CALL.length()) : null;
        if (rest == null || rest.length() < 32 || !rest.substring(0, 32).matches("[0-9a-f]{32}")) {
            return null;
        }
        return RESPONSE + rest.substring(0, 32);
    }

    ResponseObject opening(String id, long createdAt, CreateResponseRequest request, Persona persona) {
        return of(id, createdAt, request, persona, ResponseObject.Status.IN_PROGRESS, null, null, List.of(), null, null);
    }

    /** A response that failed before any output (a stream already under way when the model could not be reached). */
    ResponseObject failed(String id, long createdAt, CreateResponseRequest request, Persona persona, ResponseObject.Error error) {
        return of(id, createdAt, request, persona, ResponseObject.Status.FAILED, null, error, List.of(), null, null);
    }

    /** The finished response: completed, or failed when the answer broke off ({@code result.complete()} false). */
    ResponseObject finished(String id, long createdAt, long completedAt, CreateResponseRequest request, Persona persona,
            Answer answer, UUID tenantId) {
        LlmResult result = answer.result();
        List<ResponseObject.OutputItem> output = new ArrayList<>();
        if (!result.content().isEmpty() || !result.wantsTools()) {
            output.add(ResponseObject.Message.of(itemId(id, MESSAGE, 0), result.complete() ? "completed" : "incomplete",
                    List.of(ResponseObject.OutputText.of(result.content(), annotations(result.content(), answer.citations())))));
        }
        for (int i = 0; i < result.toolCalls().size(); i++) {
            ToolCall call = result.toolCalls().get(i);
            output.add(ResponseObject.FunctionCall.of(itemId(id, FUNCTION_CALL, i), ids.wire(tenantId, call), call.name(),
                    call.arguments(), "completed"));
        }
        ResponseObject.Error error = result.complete() ? null : new ResponseObject.Error("server_error", "The model stopped "
                + "answering after the first words; the answer is incomplete.");
        ResponseObject.Switchboard extra = new ResponseObject.Switchboard(result.target().toString(), result.failover(),
                result.attempts(), answer.sessionId() == null ? null : answer.sessionId().toString(), persona.version());
        return of(id, createdAt, request, persona, result.complete() ? ResponseObject.Status.COMPLETED
                : ResponseObject.Status.FAILED, completedAt, error, output, ResponseObject.Usage.of(answer.usage()), extra);
    }

    /** The output item of {@code response} with this id, or null. */
    static JsonNode item(JsonNode response, String itemId) {
        for (JsonNode item : response.path("output")) {
            if (itemId.equals(item.path("id").asString(""))) {
                return item;
            }
        }
        return null;
    }

    /** The id of the message item of a response. */
    static String messageId(String responseId) {
        return itemId(responseId, MESSAGE, 0);
    }

    /** The calls a stored response asked for and has not had answered (call id → function name). */
    static Map<String, String> pendingCalls(JsonNode response) {
        Map<String, String> calls = new HashMap<>();
        for (JsonNode item : response.path("output")) {
            if ("function_call".equals(item.path("type").asString(""))) {
                calls.put(item.path("call_id").asString(), item.path("name").asString());
            }
        }
        return calls;
    }

    private static ResponseObject of(String id, long createdAt, CreateResponseRequest request, Persona persona,
            ResponseObject.Status status, Long completedAt, ResponseObject.Error error, List<ResponseObject.OutputItem> output,
            ResponseObject.Usage usage, ResponseObject.Switchboard extra) {
        JsonNode tools = request.tools().isArray() ? request.tools() : JsonNodeFactory.instance.arrayNode();
        JsonNode toolChoice = request.toolChoice().isMissingNode() || request.toolChoice().isNull()
                ? JsonNodeFactory.instance.stringNode("auto") : request.toolChoice();
        return new ResponseObject(id, "response", createdAt, status, completedAt, error, null, request.instructions(),
                request.maxOutputTokens(), persona.slug(), output, true, request.previousResponseId(), request.temperature(),
                toolChoice, tools, request.topP(), request.truncation(), request.store(), usage, request.user(), request.metadata(),
                extra);
    }

    /** Each cited passage where its marker ({@code [n]}) first stands in the text. */
    private static List<ResponseObject.FileCitation> annotations(String text, List<MessageCitation> citations) {
        List<ResponseObject.FileCitation> annotations = new ArrayList<>();
        for (MessageCitation citation : citations) {
            int index = text.indexOf("[" + citation.marker() + "]");
            if (index >= 0 && citation.documentId() != null) {
                annotations.add(new ResponseObject.FileCitation("file_citation", citation.documentId().toString(),
                        citation.documentName(), index));
            }
        }
        return annotations;
    }
}
