package dev.switchboard.chat.internal.openai.responses;

import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.MDC;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import dev.switchboard.chat.internal.openai.BadParameter;
import dev.switchboard.chat.internal.openai.ClientTools;
import dev.switchboard.chat.internal.openai.ToolCallIds;
import dev.switchboard.chat.internal.turn.ChatTurns;
import dev.switchboard.chat.internal.turn.TurnEvents;
import dev.switchboard.chat.internal.turn.TurnInput;
import dev.switchboard.identity.Caller;
import dev.switchboard.identity.Callers;
import dev.switchboard.llm.LlmMessage;
import dev.switchboard.llm.LlmTool;
import dev.switchboard.persona.Persona;
import dev.switchboard.shared.EventStream;
import dev.switchboard.shared.EventStreams;
import dev.switchboard.shared.OpenAiErrors;
import dev.switchboard.shared.ProblemResponder;
import dev.switchboard.shared.SwitchboardException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import tools.jackson.databind.JsonNode;

/**
 * OpenAI's Responses API for personas. A stored response ({@code store}, the default) is a turn of a Switchboard session
 * owned by the caller: {@code previous_response_id} continues that session (the model sees the earlier turns through the
 * session's token-budgeted window), and the response object is kept for {@code GET}. With {@code store: false} it is a
 * stateless completion and nothing is kept. Both run the one turn path ({@link ChatTurns}): limits, quotas, failover and
 * the persona's knowledge apply as for chat completions.
 */
@Tag(name = "OpenAI-compatible")
@SecurityRequirement(name = "bearer")
@RestController
@PreAuthorize("hasAuthority('SCOPE_chat')")
class ResponsesController {

    /** What the model calls of a response record their tokens under. */
    static final String PURPOSE = "POST /v1/responses";

    private final ChatTurns turns;
    private final StoredResponses stored;
    private final ResponseObjects objects;
    private final ToolCallIds ids;
    private final EventStreams streams;
    private final ProblemResponder problems;
    private final Clock clock;

    ResponsesController(ChatTurns turns, StoredResponses stored, ResponseObjects objects, ToolCallIds ids, EventStreams streams,
            ProblemResponder problems, Clock clock) {
        this.turns = turns;
        this.stored = stored;
        this.objects = objects;
        this.ids = ids;
        this.streams = streams;
        this.problems = problems;
        this.clock = clock;
    }

    /** One request's parsed parts. */
    private record Request(CreateResponseRequest body, Persona persona, List<LlmMessage> messages, List<LlmTool> tools,
            UUID sessionId) {
    }

    @Operation(summary = "Create a response (OpenAI Responses API)", description = "model = a persona's slug; input (a string or "
            + "items: messages, function_call, function_call_output), instructions, tools (function tools the client runs), "
            + "tool_choice, temperature, max_output_tokens, stream (the Responses event stream), store (default true: a turn of "
            + "a session you own), previous_response_id (continues that session). Unsupported parameters are refused by name. "
            + "Errors use OpenAI's error body.")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(schema = @Schema(implementation = CreateResponseRequest.class)))
    @ApiResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ResponseObject.class)))
    @PostMapping("/v1/responses")
    ResponseEntity<ResponseObject> create(@RequestBody JsonNode body, HttpServletRequest httpRequest,
            HttpServletResponse httpResponse) {
        Caller caller = Callers.require();
        Request request = request(caller, body);
        String id = ResponseObjects.newId();
        String messageId = ResponseObjects.messageId(id);
        long createdAt = clock.instant().getEpochSecond();
        // OpenAI's `user` names the end user for abuse tracing: it goes into every log line of the request.
        try (MDC.MDCCloseable endUser = MDC.putCloseable("endUser", request.body().user() == null ? "" : request.body().user())) {
            if (!request.body().stream()) {
                ResponseObject response = finished(caller, request, id, createdAt, messageId, answer(caller, request, null));
                return ResponseEntity.ok(response);
            }
            try (EventStream events = streams.open(httpResponse)) {
                stream(new ResponseStream(events, objects.opening(id, createdAt, request.body(), request.persona()), messageId),
                        caller, request, id, createdAt, messageId, httpRequest);
            }
            return null;
        }
    }

    private void stream(ResponseStream events, Caller caller, Request request, String id, long createdAt, String messageId,
            HttpServletRequest httpRequest) {
        try {
            ResponseObject response = finished(caller, request, id, createdAt, messageId, answer(caller, request, events::delta));
            if (response.status() == ResponseObject.Status.COMPLETED) {
                events.completed(response);
            }
            else {
                events.failed(response);
            }
        }
        catch (ErrorResponseException failure) {
            if (!events.started()) {
                throw failure;
            }
            Map<String, Object> error = OpenAiErrors.body(problems.complete(failure.getBody(), httpRequest));
            @SuppressWarnings("unchecked")
            Map<String, Object> detail = (Map<String, Object>) error.get("error");
            events.failed(objects.failed(id, createdAt, request.body(), request.persona(),
                    new ResponseObject.Error(String.valueOf(detail.get("code")), String.valueOf(detail.get("message")))));
        }
        catch (UncheckedIOException clientGone) {
            // The client went away; the turn kept what it was shown, marked incomplete.
        }
    }

    /** The model's answer: a turn of the caller's session when stored, a stateless completion otherwise. */
    private ResponseObjects.Answer answer(Caller caller, Request request, TurnEvents events) {
        CreateResponseRequest body = request.body();
        if (body.store()) {
            ChatTurns.Turn turn = turns.turn(caller, request.persona(), new TurnInput(request.messages(), request.tools(),
                    body.temperature(), body.maxOutputTokens()), request.sessionId(), events, 0, PURPOSE);
            return new ResponseObjects.Answer(turn.result(), turn.usage(), turn.answer().citations(), turn.session().id());
        }
        if (request.messages().stream().allMatch(m -> m.role() == LlmMessage.Role.SYSTEM)) {
            throw BadParameter.at("input", "input: say something (a user message or the results of the tools the model called).");
        }
        ChatTurns.Completion completion = turns.complete(caller, request.persona(), request.messages(), request.tools(),
                body.temperature(), body.maxOutputTokens(), events, PURPOSE);
        return new ResponseObjects.Answer(completion.result(), completion.usage(), completion.citations(), null);
    }

    /** The finished response object, kept when the request stores it. */
    private ResponseObject finished(Caller caller, Request request, String id, long createdAt, String messageId,
            ResponseObjects.Answer answer) {
        Instant now = clock.instant();
        ResponseObject response = objects.finished(id, createdAt, now.getEpochSecond(), request.body(), request.persona(), answer,
                caller.tenantId());
        if (answer.sessionId() != null) {
            stored.save(id, caller.userId(), answer.sessionId(), response, now);
        }
        return response;
    }

    private Request request(Caller caller, JsonNode json) {
        CreateResponseRequest body = ResponseRequests.parse(json);
        Persona persona = turns.persona(caller, body.model());
        StoredResponses.Stored previous = body.previousResponseId() == null ? null : previous(caller, body.previousResponseId());
        List<LlmMessage> messages = new ArrayList<>(ResponseInput.parse(body.input(), body.instructions(),
                previous == null ? Map.of() : ResponseObjects.pendingCalls(previous.body()), itemId -> item(caller, itemId), ids,
                caller.tenantId()));
        ClientTools tools = ClientTools.parse(json, ClientTools.Format.RESPONSES);
        if (tools != null && tools.instruction() != null) {
            messages.add(tools.instruction());
        }
        return new Request(body, persona, messages, tools == null ? null : tools.offered(),
                previous == null ? null : previous.sessionId());
    }

    /** An output item of one of the caller's stored responses, or null. */
    private JsonNode item(Caller caller, String itemId) {
        String responseId = ResponseObjects.responseOf(itemId);
        return responseId == null ? null : stored.find(responseId, caller.userId()).map(r -> ResponseObjects.item(r.body(), itemId))
                .orElse(null);
    }

    /** The response to continue: the caller's, its session alive, and the newest of it. */
    private StoredResponses.Stored previous(Caller caller, String id) {
        StoredResponses.Stored previous = stored.find(id, caller.userId()).orElseThrow(() -> notFound(id, "previous_response_id"));
        if (!previous.sessionExpiresAt().isAfter(clock.instant())) {
            SwitchboardException expired = new SwitchboardException(HttpStatus.GONE, "response-expired", "Response " + id
                    + " belongs to a conversation that expired at " + previous.sessionExpiresAt() + " without activity; start a "
                    + "new one (send no previous_response_id). GET /v1/responses/" + id + " still answers until it is purged.");
            expired.getBody().setProperty(OpenAiErrors.PARAM, "previous_response_id");
            throw expired;
        }
        if (!previous.latest()) {
            throw BadParameter.at("previous_response_id", "Response " + id + " was continued already: a conversation goes on from "
                    + "its newest response (branching is not supported).");
        }
        return previous;
    }

    @Operation(summary = "Get a stored response (OpenAI Responses API)", description = "Your own stored response, as it was "
            + "returned; another user's, a deleted one or one created with store: false answers 404.")
    @ApiResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ResponseObject.class)))
    @GetMapping("/v1/responses/{id}")
    JsonNode get(@PathVariable String id) {
        Caller caller = Callers.require();
        return stored.find(id, caller.userId()).orElseThrow(() -> notFound(id, null)).body();
    }

    /** What deleting answers, as OpenAI does. */
    record Deleted(String id, String object, boolean deleted) {
    }

    @Operation(summary = "Delete a stored response (OpenAI Responses API)", description = "Removes the response from your view "
            + "(GET answers 404, previous_response_id cannot name it); the turn stays in its session's history.")
    @DeleteMapping("/v1/responses/{id}")
    Deleted delete(@PathVariable String id) {
        Caller caller = Callers.require();
        if (!stored.delete(id, caller.userId(), clock.instant())) {
            throw notFound(id, null);
        }
        return new Deleted(id, "response", true);
    }

    private static SwitchboardException notFound(String id, String param) {
        SwitchboardException missing = new SwitchboardException(HttpStatus.NOT_FOUND, "response-not-found", "There is no response '"
                + id + "' of yours: it was never stored (store: false), was deleted, or is not yours.");
        if (param != null) {
            missing.getBody().setProperty(OpenAiErrors.PARAM, param);
        }
        return missing;
    }
}
