package dev.switchboard.chat.internal.turn;

import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

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
import dev.switchboard.chat.internal.history.MessageCitation;
import dev.switchboard.chat.internal.history.ChatSession;
import dev.switchboard.identity.Caller;
import dev.switchboard.llm.Chain;
import dev.switchboard.llm.LlmMessage;
import dev.switchboard.llm.LlmRequest;
import dev.switchboard.llm.LlmResult;
import dev.switchboard.llm.LlmRouter;
import dev.switchboard.llm.LlmUnavailableException;
import dev.switchboard.llm.Passage;
import dev.switchboard.metering.TokenQuota;
import dev.switchboard.persona.Persona;
import dev.switchboard.shared.SwitchboardException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The chat turn: validation → session → history window → retrieval → prompt assembly → generation through
 * the persona's chain (metered against the caller's token quota) → citations → persistence. Each stage is a
 * class of its own; this one only runs them in order. No transaction is open while the model answers.
 */
@Service
public class ChatTurns {

    /** Token budget assumed for the answer when the persona sets no limit. */
    static final int DEFAULT_ANSWER_TOKENS = 1024;

    /** A finished turn: the stored answer and how it came about. */
    public record Turn(ChatSession session, Persona persona, ChatMessage answer, LlmResult result) {
    }

    /** A stateless completion (the OpenAI-compatible API): nothing is stored. */
    public record Completion(Persona persona, LlmResult result, List<MessageCitation> citations) {
    }

    private final TurnValidation validation;
    private final SessionStage sessions;
    private final HistoryWindow window;
    private final Retrieval retrieval;
    private final PromptAssembly assembly;
    private final LlmRouter router;
    private final CitationExtraction citations;
    private static final Logger log = LoggerFactory.getLogger(ChatTurns.class);

    private final TurnRecorder recorder;
    private final DurableWrites writes;
    private final TurnMetering metering;
    private final ChatProperties properties;
    private final ApplicationEventPublisher events;
    private final MeterRegistry meters;

    ChatTurns(TurnValidation validation, SessionStage sessions, HistoryWindow window, Retrieval retrieval, PromptAssembly assembly,
            LlmRouter router, CitationExtraction citations, TurnRecorder recorder, DurableWrites writes, TurnMetering metering,
            ChatProperties properties, ApplicationEventPublisher events, MeterRegistry meters) {
        this.validation = validation;
        this.sessions = sessions;
        this.window = window;
        this.retrieval = retrieval;
        this.assembly = assembly;
        this.router = router;
        this.citations = citations;
        this.recorder = recorder;
        this.writes = writes;
        this.metering = metering;
        this.properties = properties;
        this.events = events;
        this.meters = meters;
    }

    /** The persona the caller may talk to, or 404: what a client checks before it starts streaming. */
    public Persona persona(Caller caller, String agent) {
        return validation.persona(caller, agent);
    }

    /**
     * One turn of a session (a new one without {@code sessionId}). With {@code onDelta} the answer streams to it
     * as it arrives.
     */
    public Turn turn(Caller caller, Persona persona, String message, UUID sessionId, Consumer<String> onDelta) {
        validation.message(message);
        SessionStage.Opened opened = sessions.open(caller, persona, sessionId, message);
        ChatSession session = opened.session();
        Chain chain = chain(persona);
        Retrieval.Retrieved retrieved = retrieval.retrieve(persona, message);
        List<Passage> passages = retrieved.passages();
        long answerTokens = persona.maxTokens() != null ? persona.maxTokens() : DEFAULT_ANSWER_TOKENS;
        long fixed = LlmRequest.estimateTokens(persona.instructions()) + LlmRequest.estimateTokens(message) + answerTokens + 64
                + passages.stream().mapToLong(p -> LlmRequest.estimateTokens(p.text()) + 16).sum();
        long budget = Math.max(0, router.contextTokens(chain, properties.contextTokens()) - fixed);
        HistoryWindow.Window history = window.build(session, opened.recent(), chain, budget);
        List<LlmMessage> messages = assembly.assemble(persona.instructions(), history.summary(), passages, retrieved.foundNothing(),
                history.turns(), List.of(LlmMessage.user(message)));
        LlmRequest request = new LlmRequest(messages, passages, persona.temperature(), persona.maxTokens(), false, "POST /api/chat");
        Optional<TokenQuota.Reservation> reservation = metering.reserve(caller, request.estimatedPromptTokens() + answerTokens);
        StringBuilder streamed = new StringBuilder();
        long start = System.nanoTime();
        LlmResult result;
        try {
            result = onDelta == null ? router.generate(chain, request) : router.stream(chain, request, delta -> {
                streamed.append(delta);
                onDelta.accept(delta);
            });
        }
        catch (LlmUnavailableException ex) {
            metering.settle(reservation, 0);
            try {
                writes.write(() -> recorder.failed(session, message, persona.version(), ex.attempts()));
            }
            catch (DataAccessException | TransactionException storageDown) {
                // The client hears what happened to its turn; that it could not be recorded goes to the log.
                log.error("A failed turn of session {} could not be recorded", session.id(), storageDown);
            }
            completed(caller, session, persona, null, ChatMessage.FAILED, 0, 0, onDelta != null);
            throw ex;
        }
        catch (UncheckedIOException clientGone) {
            // The client stopped listening mid-stream (writing to it failed): keep what it was shown, marked incomplete.
            metering.settle(reservation, request.estimatedPromptTokens() + LlmRequest.estimateTokens(streamed.toString()));
            writes.write(() -> recorder.abandoned(session, message, persona.version(), streamed.toString(), elapsedMs(start)));
            completed(caller, session, persona, null, "client_gone", 0, 0, true);
            throw clientGone;
        }
        metering.settle(reservation, result.usage().totalTokens());
        List<MessageCitation> cited = citations.citations(result, passages, retrieved.hits());
        long latencyMs = elapsedMs(start);
        ChatMessage answer;
        try {
            answer = writes.write(() -> recorder.answered(session, message, persona.version(), result, cited, latencyMs));
        }
        catch (DataAccessException | TransactionException storageDown) {
            completed(caller, session, persona, result.target().toString(), "unsaved", result.usage().inputTokens(),
                    result.usage().outputTokens(), onDelta != null);
            throw unsaved(session, result, storageDown);
        }
        completed(caller, session, persona, result.target().toString(), answer.status(), result.usage().inputTokens(),
                result.usage().outputTokens(), onDelta != null);
        return new Turn(session, persona, answer, result);
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
    private void completed(Caller caller, ChatSession session, Persona persona, String target, String status, long in, long out,
            boolean streamed) {
        Counter.builder("switchboard.chat.turns").description("Chat turns by how they ended")
                .tag("status", status).tag("streamed", String.valueOf(streamed)).register(meters).increment();
        events.publishEvent(new ChatTurnCompleted(caller.tenantId(), caller.userId(), session.id(), persona.id(), persona.version(),
                target, status, in, out));
    }

    /**
     * A completion for the OpenAI-compatible API: the persona's instructions, then the client's messages
     * (which carry the conversation themselves); metered like a turn, stored nowhere.
     */
    public Completion complete(Caller caller, Persona persona, List<LlmMessage> clientMessages, Double temperature,
            Integer maxTokens, Consumer<String> onDelta) {
        if (clientMessages.isEmpty()) {
            throw new IllegalArgumentException("messages must not be empty");
        }
        Chain chain = chain(persona);
        String question = clientMessages.reversed().stream().filter(m -> m.role() == LlmMessage.Role.USER)
                .map(LlmMessage::content).findFirst().orElse("");
        Retrieval.Retrieved retrieved = retrieval.retrieve(persona, question);
        List<Passage> passages = retrieved.passages();
        List<LlmMessage> messages = assembly.assemble(persona.instructions(), null, passages, retrieved.foundNothing(), List.of(),
                clientMessages);
        Integer answerLimit = maxTokens != null ? maxTokens : persona.maxTokens();
        LlmRequest request = new LlmRequest(messages, passages, temperature != null ? temperature : persona.temperature(),
                answerLimit, false, "POST /v1/chat/completions");
        long answerTokens = answerLimit != null ? answerLimit : DEFAULT_ANSWER_TOKENS;
        Optional<TokenQuota.Reservation> reservation = metering.reserve(caller, request.estimatedPromptTokens() + answerTokens);
        LlmResult result;
        try {
            result = onDelta == null ? router.generate(chain, request) : router.stream(chain, request, onDelta);
        }
        catch (RuntimeException ex) {
            metering.settle(reservation, 0);
            throw ex;
        }
        metering.settle(reservation, result.usage().totalTokens());
        return new Completion(persona, result, citations.citations(result, passages, retrieved.hits()));
    }

    private Chain chain(Persona persona) {
        return persona.chain() == null || persona.chain().isBlank() ? router.defaultChain() : Chain.parse(persona.chain());
    }

    private static long elapsedMs(long start) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }
}
