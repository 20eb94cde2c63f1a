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

    /** A new response's ids: {@code resp_}, {@code msg_} and {@code fc_} followed by 32 hex digits. */
    static String newId(String prefix) {
        byte[] random = new byte[16];
        ThreadLocalRandom.current().nextBytes(random);
        return prefix + HexFormat.of().formatHex(random);
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
            String messageId, Answer answer, UUID tenantId) {
        LlmResult result = answer.result();
        List<ResponseObject.OutputItem> output = new ArrayList<>();
        if (!result.content().isEmpty() || !result.wantsTools()) {
            output.add(ResponseObject.Message.of(messageId, result.complete() ? "completed" : "incomplete",
                    List.of(ResponseObject.OutputText.of(result.content(), annotations(result.content(), answer.citations())))));
        }
        for (ToolCall call : result.toolCalls()) {
            output.add(ResponseObject.FunctionCall.of(newId("fc_"), ids.wire(tenantId, call), call.name(), call.arguments(),
                    "completed"));
        }
        ResponseObject.Error error = result.complete() ? null : new ResponseObject.Error("server_error", "The model stopped "
                + "answering after the first words; the answer is incomplete.");
        ResponseObject.Switchboard extra = new ResponseObject.Switchboard(result.target().toString(), result.failover(),
                result.attempts(), answer.sessionId() == null ? null : answer.sessionId().toString(), persona.version());
        return of(id, createdAt, request, persona, result.complete() ? ResponseObject.Status.COMPLETED
                : ResponseObject.Status.FAILED, completedAt, error, output, ResponseObject.Usage.of(answer.usage()), extra);
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
