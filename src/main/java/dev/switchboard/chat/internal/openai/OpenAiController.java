package dev.switchboard.chat.internal.openai;

import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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

import dev.switchboard.chat.internal.turn.ChatTurns;
import dev.switchboard.identity.Caller;
import dev.switchboard.identity.Callers;
import dev.switchboard.knowledge.Embeddings;
import dev.switchboard.llm.LlmMessage;
import dev.switchboard.llm.LlmResult;
import dev.switchboard.llm.LlmTool;
import dev.switchboard.llm.ToolCall;
import dev.switchboard.llm.Usage;
import dev.switchboard.persona.Persona;
import dev.switchboard.persona.PersonaCatalog;
import dev.switchboard.shared.EventStream;
import dev.switchboard.shared.EventStreams;
import dev.switchboard.shared.OpenAiErrors;
import dev.switchboard.shared.ProblemResponder;
import dev.switchboard.shared.SwitchboardException;
import io.swagger.v3.oas.annotations.Operation;
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

    @Operation(summary = "Models (OpenAI-compatible)", description = "The personas the caller may use (switchboard.kind agent: "
            + "for chat completions and responses), then the embedding model (switchboard.kind embedding: for /v1/embeddings).")
    @GetMapping("/v1/models")
    Map<String, Object> models() {
        Caller caller = Callers.require();
        List<Map<String, Object>> data = new ArrayList<>();
        personas.usable(caller.actsAsAdmin()).forEach(persona -> data.add(model(persona)));
        data.add(embeddingModel());
        return Map.of("object", "list", "data", data);
    }

    private static Map<String, Object> model(Persona persona) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("id", persona.slug());
        model.put("object", "model");
        model.put("created", persona.createdAt().getEpochSecond());
        model.put("owned_by", "switchboard");
        model.put("switchboard", Map.of("kind", "agent", "name", persona.name(), "endpoints", List.of("/v1/chat/completions",
                "/v1/responses")));
        return model;
    }

    /** The embedding model, "created" when this server started: it is served from then on. */
    private Map<String, Object> embeddingModel() {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("id", embeddings.model());
        model.put("object", "model");
        model.put("created", started);
        model.put("owned_by", "switchboard");
        model.put("switchboard", Map.of("kind", "embedding", "provider", embeddings.provider(), "endpoints",
                List.of("/v1/embeddings")));
        return model;
    }

    @Operation(summary = "Chat completions (OpenAI-compatible)", description = "model = a persona's slug; messages (with "
            + "assistant tool_calls and tool results), tools, tool_choice, temperature, max_tokens (or max_completion_tokens), "
            + "stream, stream_options.include_usage and user as in OpenAI's API. With tools the client runs its own tools "
            + "(the model's calls are returned with finish_reason tool_calls) and the persona's tools are not offered; "
            + "without, the persona's tools run inside Switchboard. Errors use OpenAI's error body.")
    @PostMapping("/v1/chat/completions")
    ResponseEntity<Map<String, Object>> completions(@RequestBody JsonNode body, HttpServletRequest request,
            HttpServletResponse response) {
        Caller caller = Callers.require();
        String model = text(body, "model");
        if (model == null || model.isBlank()) {
            throw invalid("model", "model is required: the slug of a persona (GET /v1/models lists them).");
        }
        Persona persona = turns.persona(caller, model);
        List<LlmMessage> messages = new ArrayList<>(ClientMessages.parse(body.path("messages"), ids, caller.tenantId()));
        ClientTools tools = ClientTools.parse(body);
        if (tools != null && tools.instruction() != null) {
            messages.add(tools.instruction());
        }
        List<LlmTool> offered = tools == null ? null : tools.offered();
        Double temperature = body.hasNonNull("temperature") ? body.path("temperature").asDouble() : null;
        if (temperature != null && (temperature < 0 || temperature > 2)) {
            throw invalid("temperature", "temperature must be between 0 and 2.");
        }
        Integer maxTokens = body.hasNonNull("max_completion_tokens") ? Integer.valueOf(body.path("max_completion_tokens").asInt())
                : body.hasNonNull("max_tokens") ? Integer.valueOf(body.path("max_tokens").asInt()) : null;
        if (maxTokens != null && maxTokens < 1) {
            throw invalid(body.hasNonNull("max_completion_tokens") ? "max_completion_tokens" : "max_tokens",
                    "max_tokens must be positive.");
        }
        String user = text(body, "user");
        if (user != null && user.length() > 256) {
            throw invalid("user", "user is at most 256 characters.");
        }
        String id = "chatcmpl-" + UUID.randomUUID().toString().replace("-", "");
        long created = clock.instant().getEpochSecond();
        // OpenAI's `user` names the end user for abuse tracing: it goes into every log line of the request.
        try (MDC.MDCCloseable endUser = MDC.putCloseable("endUser", user == null ? "" : user)) {
            if (!body.path("stream").asBoolean(false)) {
                ChatTurns.Completion completion = turns.complete(caller, persona, messages, offered, temperature, maxTokens, null);
                return ResponseEntity.ok(completion(id, created, completion, caller));
            }
            stream(id, created, persona, caller, messages, offered, temperature, maxTokens,
                    body.path("stream_options").path("include_usage").asBoolean(false), request, response);
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
            events.finish(finishReason(result), includeUsage ? usage(completion.usage()) : null, transparency(completion));
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

    private Map<String, Object> completion(String id, long created, ChatTurns.Completion completion, Caller caller) {
        LlmResult result = completion.result();
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("role", "assistant");
        message.put("content", result.wantsTools() && result.content().isBlank() ? null : result.content());
        message.put("refusal", null);
        if (result.wantsTools()) {
            message.put("tool_calls", result.toolCalls().stream().map(call -> toolCall(ids.wire(caller.tenantId(), call), call))
                    .toList());
        }
        Map<String, Object> choice = new LinkedHashMap<>();
        choice.put("index", 0);
        choice.put("message", message);
        choice.put("logprobs", null);
        choice.put("finish_reason", finishReason(result));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id);
        body.put("object", "chat.completion");
        body.put("created", created);
        body.put("model", completion.persona().slug());
        body.put("choices", List.of(choice));
        body.put("usage", usage(completion.usage()));
        body.put("switchboard", transparency(completion));
        return body;
    }

    /** {@code tool_calls} when the model asked for the client's tools, {@code stop} when it answered. */
    private static String finishReason(LlmResult result) {
        return result.wantsTools() ? "tool_calls" : "stop";
    }

    private static Map<String, Object> toolCall(String wireId, ToolCall call) {
        Map<String, Object> toolCall = new LinkedHashMap<>();
        toolCall.put("id", wireId);
        toolCall.put("type", "function");
        toolCall.put("function", Map.of("name", call.name(), "arguments", call.arguments()));
        return toolCall;
    }

    /** The tokens of every model call of the completion (the persona's tool steps included). */
    static Map<String, Object> usage(Usage used) {
        Map<String, Object> usage = new LinkedHashMap<>();
        usage.put("prompt_tokens", used.inputTokens());
        usage.put("completion_tokens", used.outputTokens());
        usage.put("total_tokens", used.totalTokens());
        return usage;
    }

    /** What OpenAI's body has no place for: who answered, after which attempts, citing what. */
    private static Map<String, Object> transparency(ChatTurns.Completion completion) {
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("target", completion.result().target().toString());
        extra.put("failover", completion.result().failover());
        extra.put("attempts", completion.result().attempts());
        extra.put("citations", completion.citations());
        extra.put("agentVersion", completion.persona().version());
        return extra;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isString() ? value.asString() : null;
    }

    private static SwitchboardException invalid(String param, String detail) {
        return BadParameter.at(param, detail);
    }
}
