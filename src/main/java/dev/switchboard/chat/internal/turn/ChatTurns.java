package dev.switchboard.chat.internal.turn;

import java.io.UncheckedIOException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.TransactionException;

import dev.switchboard.chat.ChatTurnCompleted;
import dev.switchboard.chat.internal.ChatProperties;
import dev.switchboard.chat.internal.history.ChatMessage;
import dev.switchboard.chat.internal.history.ChatSession;
import dev.switchboard.chat.internal.history.MessageCitation;
import dev.switchboard.identity.Caller;
import dev.switchboard.llm.Chain;
import dev.switchboard.llm.LlmMessage;
import dev.switchboard.llm.LlmRequest;
import dev.switchboard.llm.LlmResult;
import dev.switchboard.llm.LlmRouter;
import dev.switchboard.llm.LlmTool;
import dev.switchboard.llm.LlmUnavailableException;
import dev.switchboard.llm.Passage;
import dev.switchboard.llm.ToolCall;
import dev.switchboard.llm.Usage;
import dev.switchboard.persona.Persona;
import dev.switchboard.shared.DurableWrites;
import dev.switchboard.shared.SwitchboardException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The chat turn: validation → session → retrieval → history window → prompt assembly → generation with the
 * persona's tools (every model call metered) → citations → persistence → {@link ChatTurnCompleted}. Each stage is a
 * class of its own; this one only runs them in order. {@code /api/chat} and the OpenAI-compatible API share the
 * generation path (retrieval, assembly, tool loop, citations); only the first keeps a session. An OpenAI client that
 * brings its own tools gets one step offering those instead of the persona's loop ({@link ClientToolStep}). No
 * transaction is open while the model answers.
 */
@Service
public class ChatTurns {

    private static final Logger log = LoggerFactory.getLogger(ChatTurns.class);

    /**
     * A finished turn: the stored answer, how it came about (the last model call), the tool calls on the way and
     * the tokens of every model call of the turn.
     */
    public record Turn(ChatSession session, Persona persona, ChatMessage answer, LlmResult result, List<ToolExchange> tools,
            Usage usage) {
    }

    /** A stateless completion (the OpenAI-compatible API): nothing is stored. */
    public record Completion(Persona persona, LlmResult result, List<MessageCitation> citations, List<ToolExchange> tools,
            Usage usage) {
    }

    /** What the shared generation path produced. */
    private record Generated(ToolLoop.Outcome outcome, List<MessageCitation> citations) {
    }

    private final TurnValidation validation;
    private final SessionStage sessions;
    private final Retrieval retrieval;
    private final HistoryWindow window;
    private final PromptAssembly assembly;
    private final ToolLoop loop;
    private final ClientToolStep clientTools;
    private final CitationExtraction citations;
    private final TurnRecorder recorder;
    private final DurableWrites writes;
    private final LlmRouter router;
    private final ChatProperties properties;
    private final ApplicationEventPublisher events;
    private final MeterRegistry meters;
    private final TurnSpans spans;

    ChatTurns(TurnValidation validation, SessionStage sessions, Retrieval retrieval, HistoryWindow window, PromptAssembly assembly,
            ToolLoop loop, ClientToolStep clientTools, CitationExtraction citations, TurnRecorder recorder, DurableWrites writes,
            LlmRouter router, ChatProperties properties, ApplicationEventPublisher events, MeterRegistry meters, TurnSpans spans) {
        this.validation = validation;
        this.sessions = sessions;
        this.retrieval = retrieval;
        this.window = window;
        this.assembly = assembly;
        this.loop = loop;
        this.clientTools = clientTools;
        this.citations = citations;
        this.recorder = recorder;
        this.writes = writes;
        this.router = router;
        this.properties = properties;
        this.events = events;
        this.meters = meters;
        this.spans = spans;
    }

    /** What a turn asked through the chat API records its tokens under. */
    public static final String CHAT_PURPOSE = "POST /api/chat";

    /** The persona the caller may talk to, or 404: what a client checks before it starts streaming. */
    public Persona persona(Caller caller, String agent) {
        return validation.persona(caller, agent);
    }

    /**
     * One turn of a session (a new one without {@code sessionId}) of a user talking to a persona. With
     * {@code events} the tool calls and the answer stream to it as they happen.
     */
    public Turn turn(Caller caller, Persona persona, String message, UUID sessionId, TurnEvents events) {
        return turn(caller, persona, message, sessionId, events, 0, CHAT_PURPOSE);
    }

    /**
     * One turn, {@code depth} agents deep: 0 for a user talking to a persona, one more for each {@code ask_agent}
     * hop (the tools it may call know how deep they are); its model calls' tokens are recorded under {@code purpose}
     * (the endpoint the turn was asked through, e.g. {@code POST /api/mcp}).
     */
    public Turn turn(Caller caller, Persona persona, String message, UUID sessionId, TurnEvents events, int depth, String purpose) {
        // 1. Validation (the persona was validated by the caller, before a stream started).
        validation.message(message);
        return turn(caller, persona, TurnInput.message(message), sessionId, events, depth, purpose);
    }

    /**
     * One turn of a session with what the client sent as {@code input}: user messages and, for a client running its own
     * tools (the Responses API), the calls it echoes and its tools' results. Everything but the input's system messages
     * is stored with the answer; the client's tool calls the model asks for are stored as the answer's tool calls and
     * returned, not run.
     */
    public Turn turn(Caller caller, Persona persona, TurnInput input, UUID sessionId, TurnEvents events, int depth, String purpose) {
        validation.input(input);
        // 2. Session, with its recent messages.
        String question = input.question();
        SessionStage.Opened opened = spans.stage("session", caller, persona,
                () -> sessions.open(caller, persona, sessionId, question == null ? "" : question));
        ChatSession session = opened.session();
        Chain chain = chain(persona);
        // 3. Retrieval, for the input's question (or, when it brings only tool results, the conversation's last one).
        String searched = question != null ? question : lastQuestion(opened.recent());
        Retrieval.Retrieved retrieved = spans.stage("retrieve", caller, persona, () -> retrieval.retrieve(persona, searched));
        // 4. History window: what fits beside instructions, message, passages and the answer.
        Integer maxTokens = input.maxTokens() != null ? input.maxTokens() : persona.maxTokens();
        long answerTokens = maxTokens != null ? maxTokens : TurnMetering.DEFAULT_ANSWER_TOKENS;
        long fixed = LlmRequest.estimateTokens(persona.instructions()) + answerTokens + 64
                + input.messages().stream().mapToLong(m -> LlmRequest.estimateTokens(m.content()) + 5).sum()
                + retrieved.passages().stream().mapToLong(p -> LlmRequest.estimateTokens(p.text()) + 16).sum();
        long budget = Math.max(0, router.contextTokens(chain, properties.contextTokens()) - fixed);
        boolean withTools = input.clientTools() != null ? !input.clientTools().isEmpty() : !loop.allowed(persona).isEmpty();
        HistoryWindow.Window history = spans.stage("history", caller, persona,
                () -> window.build(caller, session, opened.recent(), chain, budget, withTools));
        List<LlmMessage> asked = input.stored();
        Streamed streamed = new Streamed(events);
        long start = System.nanoTime();
        Generated generated;
        try {
            // 5.–7. Prompt assembly, generation with tools, citations.
            generated = generate(caller, persona, chain, retrieved, history, input.messages(),
                    new ToolLoop.Settings(input.temperature() != null ? input.temperature() : persona.temperature(), maxTokens,
                            purpose, depth), input.clientTools(), events == null ? null : streamed);
        }
        catch (LlmUnavailableException ex) {
            try {
                writes.write(() -> recorder.failed(session, asked, persona.version(), ex.attempts()));
            }
            catch (DataAccessException | TransactionException storageDown) {
                // The client hears what happened to its turn; that it could not be recorded goes to the log.
                log.error("A failed turn of session {} could not be recorded", session.id(), storageDown);
            }
            completed(caller, session, persona, null, TurnStatus.FAILED, Usage.NONE, events != null);
            throw ex;
        }
        catch (UncheckedIOException clientGone) {
            // The client stopped listening mid-stream (writing to it failed): keep what it was shown, marked incomplete.
            writes.write(() -> recorder.abandoned(session, asked, persona.version(), streamed.text(), elapsedMs(start)));
            completed(caller, session, persona, null, TurnStatus.CLIENT_GONE, Usage.NONE, true);
            throw clientGone;
        }
        // 8. Persistence: the user's message, the tool calls and results, the answer — together or not at all.
        ToolLoop.Outcome outcome = generated.outcome();
        LlmResult result = outcome.result();
        long latencyMs = elapsedMs(start);
        ChatMessage answer;
        try {
            answer = spans.stage("persist", caller, persona, () -> writes.write(() -> recorder.answered(session, asked,
                    persona.version(), outcome, generated.citations(), latencyMs)));
        }
        catch (DataAccessException | TransactionException storageDown) {
            completed(caller, session, persona, result.target().toString(), TurnStatus.UNSAVED, outcome.usage(), events != null);
            throw unsaved(session, result, storageDown);
        }
        // 9. Tell the other modules.
        completed(caller, session, persona, result.target().toString(), TurnStatus.of(answer.status()), outcome.usage(),
                events != null);
        return new Turn(session, persona, answer, result, outcome.exchanges(), outcome.usage());
    }

    /** The newest user message of the session, for a turn whose input is only tool results; empty when there is none. */
    private static String lastQuestion(List<ChatMessage> recent) {
        return recent.reversed().stream().filter(m -> ChatMessage.USER.equals(m.role()) && m.inContext())
                .map(ChatMessage::content).findFirst().orElse("");
    }

    /**
     * A completion for the OpenAI-compatible API: the persona's instructions, then the client's messages
     * (which carry the conversation themselves); generated and metered like a turn, stored nowhere.
     */
    public Completion complete(Caller caller, Persona persona, List<LlmMessage> clientMessages, Double temperature,
            Integer maxTokens, TurnEvents events) {
        return complete(caller, persona, clientMessages, null, temperature, maxTokens, events);
    }

    /**
     * A completion in which the client runs its own tools: with {@code clientTools} not null the model is offered
     * those (none when empty) and never the persona's, and the calls it asks for are returned, not run. With null,
     * the persona's own tools run inside Switchboard as in a turn.
     */
    public Completion complete(Caller caller, Persona persona, List<LlmMessage> clientMessages, List<LlmTool> clientTools,
            Double temperature, Integer maxTokens, TurnEvents events) {
        return complete(caller, persona, clientMessages, clientTools, temperature, maxTokens, events, "POST /v1/chat/completions");
    }

    /** A completion as above whose model calls' tokens are recorded under {@code purpose} (the endpoint asked). */
    public Completion complete(Caller caller, Persona persona, List<LlmMessage> clientMessages, List<LlmTool> clientTools,
            Double temperature, Integer maxTokens, TurnEvents events, String purpose) {
        if (clientMessages.isEmpty()) {
            throw new IllegalArgumentException("messages must not be empty");
        }
        String question = clientMessages.reversed().stream().filter(m -> m.role() == LlmMessage.Role.USER)
                .map(LlmMessage::content).findFirst().orElse("");
        Retrieval.Retrieved retrieved = spans.stage("retrieve", caller, persona, () -> retrieval.retrieve(persona, question));
        Generated generated = generate(caller, persona, chain(persona), retrieved, HistoryWindow.Window.EMPTY, clientMessages,
                new ToolLoop.Settings(temperature != null ? temperature : persona.temperature(),
                        maxTokens != null ? maxTokens : persona.maxTokens(), purpose, 0), clientTools, events);
        return new Completion(persona, generated.outcome().result(), generated.citations(), generated.outcome().exchanges(),
                generated.outcome().usage());
    }

    /**
     * The generation path both APIs share: prompt assembly, the tool loop (or, with {@code clientTools}, one step
     * offering the client's tools), citations of every passage the answer had.
     */
    private Generated generate(Caller caller, Persona persona, Chain chain, Retrieval.Retrieved retrieved, HistoryWindow.Window history,
            List<LlmMessage> newMessages, ToolLoop.Settings settings, List<LlmTool> clientTools, TurnEvents events) {
        List<Passage> passages = retrieved.passages();
        List<LlmMessage> messages = spans.stage("assemble", caller, persona, () -> assembly.assemble(persona.instructions(),
                history.summary(), passages, retrieved.foundNothing(), history.turns(), newMessages));
        ToolLoop.Outcome outcome = clientTools == null ? loop.run(caller, persona, chain, messages, passages, settings, events)
                : spans.stage("generate", caller, persona,
                        () -> this.clientTools.run(caller, chain, messages, passages, settings, clientTools, events));
        return new Generated(outcome, spans.stage("citations", caller, persona, () -> citations.citations(outcome.result(),
                outcome.passages(), retrieval.hits(outcome.passages(), retrieved.hits()))));
    }

    /**
     * The answer came but the database stayed unavailable through every retry: nothing of the turn is stored, and
     * the client gets the answer inside the problem so that it is not lost (streamed clients have seen it already).
     */
    private static SwitchboardException unsaved(ChatSession session, LlmResult result, RuntimeException cause) {
        log.error("The answer to a turn of session {} could not be stored", session.id(), cause);
        SwitchboardException unsaved = new SwitchboardException(HttpStatus.SERVICE_UNAVAILABLE, "history-unavailable",
                "The model answered, but the conversation could not be saved: the database is unavailable. Neither your "
                        + "message nor the answer is in the session's history; the answer is included here as `answer`. "
                        + "Send the message again in a few seconds to keep the conversation going.", cause);
        unsaved.getBody().setProperty("sessionId", session.id());
        unsaved.getBody().setProperty("answer", result.content());
        unsaved.getBody().setProperty("target", result.target().toString());
        unsaved.getHeaders().set(HttpHeaders.RETRY_AFTER, "5");
        return unsaved;
    }

    /** Counts the turn ({@code switchboard_chat_turns_total{status,streamed}}) and tells other modules. */
    private void completed(Caller caller, ChatSession session, Persona persona, String target, TurnStatus status, Usage usage,
            boolean streamed) {
        Counter.builder("switchboard.chat.turns").description("Chat turns by how they ended")
                .tag("status", status.label()).tag("streamed", String.valueOf(streamed)).register(meters).increment();
        events.publishEvent(new ChatTurnCompleted(caller.tenantId(), caller.userId(), session.id(), persona.id(), persona.version(),
                target, status.label(), usage.inputTokens(), usage.outputTokens()));
    }

    private Chain chain(Persona persona) {
        return persona.chain() == null || persona.chain().isBlank() ? router.defaultChain() : Chain.parse(persona.chain());
    }

    private static long elapsedMs(long start) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    /** The client's events, remembering the text it was sent (kept when it goes away mid-stream). */
    private static final class Streamed implements TurnEvents {

        private final TurnEvents client;
        private final StringBuilder text = new StringBuilder();

        Streamed(TurnEvents client) {
            this.client = client;
        }

        @Override
        public void delta(String delta) {
            text.append(delta);
            client.delta(delta);
        }

        @Override
        public void toolCall(ToolCall call) {
            client.toolCall(call);
        }

        @Override
        public void toolResult(ToolExchange exchange) {
            client.toolResult(exchange);
        }

        String text() {
            return text.toString();
        }
    }
}
