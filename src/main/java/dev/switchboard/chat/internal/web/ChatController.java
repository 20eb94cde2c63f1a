package dev.switchboard.chat.internal.web;

import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import dev.switchboard.chat.internal.history.ChatMessage;
import dev.switchboard.chat.internal.history.MessageCitation;
import dev.switchboard.chat.internal.turn.ChatTurns;
import dev.switchboard.chat.internal.turn.ToolExchange;
import dev.switchboard.chat.internal.turn.TurnEvents;
import dev.switchboard.identity.Caller;
import dev.switchboard.identity.Callers;
import dev.switchboard.llm.Attempt;
import dev.switchboard.llm.ToolCall;
import dev.switchboard.llm.Usage;
import dev.switchboard.persona.Persona;
import dev.switchboard.shared.EventStream;
import dev.switchboard.shared.EventStreams;
import dev.switchboard.shared.ProblemResponder;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

@Tag(name = "Chat")
@SecurityRequirement(name = "bearer")
@RestController
@PreAuthorize("hasAuthority('SCOPE_chat')")
class ChatController {

    private final ChatTurns turns;
    private final ProblemResponder problems;
    private final EventStreams streams;

    ChatController(ChatTurns turns, ProblemResponder problems, EventStreams streams) {
        this.turns = turns;
        this.problems = problems;
        this.streams = streams;
    }

    record ChatRequest(
            @NotBlank(message = "name the persona (id or slug) to talk to; GET /api/agents lists them") @Schema(description = "A persona's id or slug.") String agent,
            @NotBlank(message = "say something") String message,
            @Schema(description = "The session to continue; a new one without.") UUID sessionId) {
    }

    record AgentView(UUID id, String slug, String name, int version) {

        static AgentView of(Persona persona) {
            return new AgentView(persona.id(), persona.slug(), persona.name(), persona.version());
        }
    }

    record MessageView(UUID id, String content, String status, List<MessageCitation> citations) {
    }

    /** A tool call of the turn and what it returned. */
    @Schema(name = "ChatToolCall")
    record ToolView(String id, String name, String arguments, boolean error, String content) {

        static ToolView of(ToolExchange exchange) {
            return new ToolView(exchange.call().id(), exchange.call().name(), exchange.call().arguments(), exchange.error(),
                    exchange.content());
        }
    }

    /**
     * The answer; {@code target}, {@code failover} and {@code attempts} are those of the model call that wrote it,
     * {@code usage} the tokens of every model call of the turn.
     */
    record ChatResponse(UUID sessionId, MessageView message, AgentView agent, String target, boolean failover,
            List<Attempt> attempts, Usage usage, List<ToolView> tools) {

        static ChatResponse of(ChatTurns.Turn turn) {
            ChatMessage answer = turn.answer();
            return new ChatResponse(turn.session().id(), new MessageView(answer.id(), answer.content(), answer.status(),
                    answer.citations()), AgentView.of(turn.persona()), turn.result().target().toString(), turn.result().failover(),
                    turn.result().attempts(), turn.usage(), turn.tools().stream().map(ToolView::of).toList());
        }
    }

    /** A {@code delta} event: the answer's next words. */
    record Delta(String text) {
    }

    /** A {@code tool_call} event: the agent calls one of its tools. */
    record ToolCallEvent(String id, String name, String arguments) {
    }

    /** A {@code tool_result} event: what the tool returned, its first characters. */
    record ToolResultEvent(String id, String name, boolean error, String content) {
    }

    /** The {@code error} event of a stream that broke after its first words: a problem with the partial answer. */
    record StreamInterrupted(String type, String title, int status, String detail, UUID sessionId, MessageView message,
            String target, List<Attempt> attempts) {

        static StreamInterrupted of(ChatResponse partial) {
            return new StreamInterrupted("urn:switchboard:problem:stream-interrupted", "Bad Gateway", 502, "The model stopped "
                    + "answering after the first words; the partial answer is kept, marked incomplete. Send the message again "
                    + "to retry.", partial.sessionId(), partial.message(), partial.target(), partial.attempts());
        }
    }

    /** What a streamed turn sends as it happens: tool calls and results, then the answer's deltas. */
    private record StreamedEvents(EventStream events) implements TurnEvents {

        /** Characters of a tool's result shown in its {@code tool_result} event. */
        static final int PREVIEW = 500;

        @Override
        public void delta(String text) {
            events.send("delta", new Delta(text));
        }

        @Override
        public void toolCall(ToolCall call) {
            events.send("tool_call", new ToolCallEvent(call.id(), call.name(), call.arguments()));
        }

        @Override
        public void toolResult(ToolExchange exchange) {
            events.send("tool_result", new ToolResultEvent(exchange.call().id(), exchange.call().name(), exchange.error(),
                    exchange.preview(PREVIEW)));
        }
    }

    @Operation(summary = "Talk to an agent", description = "Sends a message to a persona (id or slug) in a session (a new one "
            + "without sessionId) and answers with the reply, its citations, the target that answered, whether failover "
            + "happened, the tokens used and the tools the agent called. With Accept: text/event-stream the reply streams as "
            + "Server-Sent Events: `tool_call` {id, name, arguments} and `tool_result` {id, name, error, content} as the "
            + "agent's tools run, then `delta` {text} events, then `done` (the same body as the JSON answer) or `error` "
            + "(a problem, with sessionId).")
    @PostMapping(value = "/api/chat", produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.TEXT_EVENT_STREAM_VALUE})
    ResponseEntity<ChatResponse> chat(@Valid @RequestBody ChatRequest body,
            @RequestHeader(value = "Accept", required = false) String accept,
            HttpServletRequest request, HttpServletResponse response) {
        Caller caller = Callers.require();
        Persona persona = turns.persona(caller, body.agent());
        if (accept == null || !accept.contains(MediaType.TEXT_EVENT_STREAM_VALUE)) {
            return ResponseEntity.ok(ChatResponse.of(turns.turn(caller, persona, body.message(), body.sessionId(), null)));
        }
        try (EventStream events = streams.open(response)) {
            stream(caller, persona, body, events, request);
        }
        return null;
    }

    private void stream(Caller caller, Persona persona, ChatRequest body, EventStream events, HttpServletRequest request) {
        try {
            ChatTurns.Turn turn = turns.turn(caller, persona, body.message(), body.sessionId(), new StreamedEvents(events));
            ChatResponse done = ChatResponse.of(turn);
            if (ChatMessage.COMPLETE.equals(turn.answer().status())) {
                events.send("done", done);
            }
            else {
                events.send("error", StreamInterrupted.of(done));
            }
        }
        catch (ErrorResponseException failure) {
            if (!events.started()) {
                throw failure;
            }
            Map<String, Object> error = ProblemResponder.body(problems.complete(failure.getBody(), request));
            events.send("error", error);
        }
        catch (UncheckedIOException clientGone) {
            // The client went away; what it was shown is stored (incomplete). Nothing more to say to anyone.
        }
    }
}
