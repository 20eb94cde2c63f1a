package dev.switchboard.chat.internal.openai;

import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.MDC;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.switchboard.chat.internal.turn.ChatTurns;
import dev.switchboard.identity.Caller;
import dev.switchboard.identity.Callers;
import dev.switchboard.knowledge.Embeddings;
import dev.switchboard.llm.LlmMessage;
import dev.switchboard.llm.LlmResult;
import dev.switchboard.llm.LlmTool;
import dev.switchboard.llm.ToolCall;
import dev.switchboard.persona.Persona;
import dev.switchboard.persona.PersonaCatalog;
import dev.switchboard.shared.EventStream;
import dev.switchboard.shared.EventStreams;
import dev.switchboard.shared.OpenAiErrors;
import dev.switchboard.shared.ProblemResponder;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import tools.jackson.databind.JsonNode;

/**
 * The OpenAI-compatible API: any OpenAI SDK talks to a persona with {@code baseURL = <switchboard>/v1}, the
 * persona's slug as the model and a Switchboard API key as the API key. Stateless, like OpenAI's: the
 * request's messages are the conversation, after the persona's instructions. A request with {@code tools} is a
 * client running its own tools: the model's calls are returned to it and the persona's tools are not offered; one
 * without runs the persona's tools inside Switchboard, as a chat turn does. The two never mix in one request.
 */
@Tag(name = "OpenAI-compatible")
@SecurityRequirement(name = "bearer")
@RestController
@PreAuthorize("hasAuthority('SCOPE_chat')")
class OpenAiController {

    private final ChatTurns turns;
    private final PersonaCatalog personas;
    private final ProblemResponder problems;
    private final EventStreams streams;
    private final ToolCallIds ids;
    private final Embeddings embeddings;
    private final Clock clock;
    private final long started;

    OpenAiController(ChatTurns turns, PersonaCatalog personas, ProblemResponder problems, EventStreams streams, ToolCallIds ids,
            Embeddings embeddings, Clock clock) {
        this.turns = turns;
        this.personas = personas;
        this.problems = problems;
        this.streams = streams;
        this.ids = ids;
        this.embeddings = embeddings;
        this.clock = clock;
        this.started = clock.instant().getEpochSecond();
    }

    /** {@code GET /v1/models}, as OpenAI's SDKs read it. */
    @Schema(name = "ModelList")
    record ModelList(@Schema(allowableValues = "list") String object, List<Model> data) {
    }

    /** A model: a persona (for chat completions and responses) or the embedding model. */
    @Schema(name = "Model")
    record Model(String id, @Schema(allowableValues = "model") String object, long created,
            @JsonProperty("owned_by") String ownedBy, ModelDetails switchboard) {
    }

    /**
     * What a model is to Switchboard: an agent ({@code name}) or the embedding model ({@code provider}), and the
     * endpoints that serve it.
     */
    @Schema(name = "ModelDetails")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ModelDetails(@Schema(allowableValues = {
            "agent", "embedding"}) String kind,
            @Schema(description = "The persona's name (agents).") String name,
            @Schema(description = "The embedding provider (the embedding model).") String provider, List<String> endpoints) {
    }

    @Operation(summary = "Models (OpenAI-compatible)", description = "The personas the caller may use (switchboard.kind agent: "
            + "for chat completions and responses), then the embedding model (switchboard.kind embedding: for /v1/embeddings).")
    @GetMapping("/v1/models")
    ModelList models() {
        Caller caller = Callers.require();
        List<Model> data = new ArrayList<>();
        personas.usable(caller.actsAsAdmin()).forEach(persona -> data.add(model(persona)));
        data.add(embeddingModel());
        return new ModelList("list", data);
    }

    private static Model model(Persona persona) {
        return new Model(persona.slug(), "model", persona.createdAt().getEpochSecond(), "switchboard", new ModelDetails("agent",
                persona.name(), null, List.of("/v1/chat/completions", "/v1/responses")));
    }

    /** The embedding model, "created" when this server started: it is served from then on. */
    private Model embeddingModel() {
        return new Model(embeddings.model(), "model", started, "switchboard", new ModelDetails("embedding", null,
                embeddings.provider(), List.of("/v1/embeddings")));
    }

    @Operation(summary = "Chat completions (OpenAI-compatible)", description = "model = a persona's slug; messages (with "
            + "assistant tool_calls and tool results), tools, tool_choice, temperature, max_tokens (or max_completion_tokens), "
            + "stream, stream_options.include_usage and user as in OpenAI's API. With tools the client runs its own tools "
            + "(the model's calls are returned with finish_reason tool_calls) and the persona's tools are not offered; "
            + "without, the persona's tools run inside Switchboard. With stream: true the answer is OpenAI's "
            + "chat.completion.chunk event stream (text/event-stream). Errors use OpenAI's error body.")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(schema = @Schema(implementation = ChatCompletionRequest.class)))
    @PostMapping("/v1/chat/completions")
    ResponseEntity<ChatCompletion> completions(@RequestBody JsonNode json, HttpServletRequest request,
            HttpServletResponse response) {
        Caller caller = Callers.require();
        ChatCompletionRequest body = ChatCompletionRequests.parse(json);
        Persona persona = turns.persona(caller, body.model());
        List<LlmMessage> messages = new ArrayList<>(ClientMessages.parse(body.messages(), ids, caller.tenantId()));
        ClientTools tools = ClientTools.parse(json);
        if (tools != null && tools.instruction() != null) {
            messages.add(tools.instruction());
        }
        List<LlmTool> offered = tools == null ? null : tools.offered();
        String id = "chatcmpl-" + UUID.randomUUID().toString().replace("-", "");
        long created = clock.instant().getEpochSecond();
        // OpenAI's `user` names the end user for abuse tracing: it goes into every log line of the request.
        try (MDC.MDCCloseable endUser = MDC.putCloseable("endUser", body.user() == null ? "" : body.user())) {
            if (!body.stream()) {
                ChatTurns.Completion completion = turns.complete(caller, persona, messages, offered, body.temperature(),
                        body.maxTokens(), null);
                return ResponseEntity.ok(completion(id, created, completion, caller));
            }
            stream(id, created, persona, caller, messages, offered, body.temperature(), body.maxTokens(), body.includeUsage(),
                    request, response);
            return null;
        }
    }

    private void stream(String id, long created, Persona persona, Caller caller, List<LlmMessage> messages, List<LlmTool> tools,
            Double temperature, Integer maxTokens, boolean includeUsage, HttpServletRequest request, HttpServletResponse response) {
        try (EventStream stream = streams.open(response)) {
            stream(new OpenAiStream(stream, id, created, persona.slug()), caller, persona, messages, tools, temperature, maxTokens,
                    includeUsage, request);
        }
    }

    private void stream(OpenAiStream events, Caller caller, Persona persona, List<LlmMessage> messages, List<LlmTool> tools,
            Double temperature, Integer maxTokens, boolean includeUsage, HttpServletRequest request) {
        try {
            ChatTurns.Completion completion = turns.complete(caller, persona, messages, tools, temperature, maxTokens,
                    events::delta);
            LlmResult result = completion.result();
            if (!result.complete()) {
                events.error(Map.of("error", Map.of("message", "The model stopped answering after the first words; the "
                        + "answer is incomplete.", "type", "server_error", "code", "stream_interrupted")));
                return;
            }
            events.toolCalls(result.toolCalls(), call -> ids.wire(caller.tenantId(), call));
            events.finish(finishReason(result), includeUsage ? ChatCompletion.Usage.of(completion.usage()) : null, transparency(
                    completion));
        }
        catch (ErrorResponseException failure) {
            if (!events.started()) {
                throw failure;
            }
            events.error(OpenAiErrors.body(problems.complete(failure.getBody(), request)));
        }
        catch (UncheckedIOException clientGone) {
            // The client went away; nothing is stored for stateless completions.
        }
    }

    private ChatCompletion completion(String id, long created, ChatTurns.Completion completion, Caller caller) {
        LlmResult result = completion.result();
        ChatCompletion.Message message = new ChatCompletion.Message("assistant",
                result.wantsTools() && result.content().isBlank() ? null : result.content(), null,
                result.wantsTools() ? result.toolCalls().stream().map(call -> toolCall(ids.wire(caller.tenantId(), call), call))
                        .toList() : null);
        return new ChatCompletion(id, "chat.completion", created, completion.persona().slug(),
                List.of(new ChatCompletion.Choice(0, message, null, finishReason(result))),
                ChatCompletion.Usage.of(completion.usage()), transparency(completion));
    }

    /** {@code tool_calls} when the model asked for the client's tools, {@code stop} when it answered. */
    private static String finishReason(LlmResult result) {
        return result.wantsTools() ? "tool_calls" : "stop";
    }

    private static ChatCompletion.ToolCall toolCall(String wireId, ToolCall call) {
        return new ChatCompletion.ToolCall(wireId, "function", new ChatCompletion.Function(call.name(), call.arguments()));
    }

    /** What OpenAI's body has no place for: who answered, after which attempts, citing what. */
    private static ChatCompletion.Switchboard transparency(ChatTurns.Completion completion) {
        return new ChatCompletion.Switchboard(completion.result().target().toString(), completion.result().failover(),
                completion.result().attempts(), completion.citations(), completion.persona().version());
    }
}
