package dev.switchboard.llm.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;

import dev.switchboard.llm.Attempt;
import dev.switchboard.llm.AttemptOutcome;
import dev.switchboard.llm.Chain;
import dev.switchboard.llm.LlmMessage;
import dev.switchboard.llm.LlmRequest;
import dev.switchboard.llm.LlmResult;
import dev.switchboard.llm.LlmRouter;
import dev.switchboard.llm.LlmUnavailableException;
import dev.switchboard.llm.NoToolCapableTargetException;
import dev.switchboard.llm.RetryPolicy;
import dev.switchboard.llm.SentenceSimilarity;
import dev.switchboard.llm.Target;
import dev.switchboard.llm.TokensUsed;
import dev.switchboard.llm.ToolCall;
import dev.switchboard.llm.Usage;
import dev.switchboard.llm.internal.provider.OpenAiWire;
import dev.switchboard.llm.internal.provider.ProviderDirectory;
import dev.switchboard.llm.internal.provider.ProviderKind;
import dev.switchboard.llm.internal.provider.ProviderSpec;
import dev.switchboard.shared.Sleeper;
import dev.switchboard.shared.TraceSpan;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The router: tries a chain's targets in order. For each target it checks capabilities (tool calling,
 * context length) and the circuit breaker, then calls it under its timeouts, retrying 429, 5xx, resets and
 * timeouts with full-jitter exponential backoff (waiting at least a {@code Retry-After} up to
 * {@code switchboard.llm.retry.max-retry-after}; a longer one fails over at once). A stream may fail over
 * only until its first token. The local extractive responder ends every chain.
 */
@Service
class ChainRouter implements LlmRouter, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ChainRouter.class);

    private final Chain defaultChain;
    private final LlmProperties.Retry retry;
    private final Sleeper sleeper;
    private final ProviderDirectory providers;
    private final TargetStates states;
    private final ChatClients clients;
    private final LlmMetrics metrics;
    private final ApplicationEventPublisher events;
    private final LocalExtractiveResponder local;
    private final AttemptSpans spans;
    private final ExecutorService calls = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("llm-call-", 0).factory());
    private final Scheduler streams = Schedulers.fromExecutorService(calls, "llm-stream");

    ChainRouter(LlmProperties properties, ProviderDirectory providers, TargetStates states, ChatClients clients,
            LlmMetrics metrics, ApplicationEventPublisher events, ObjectProvider<SentenceSimilarity> sentenceSimilarity,
            AttemptSpans spans, Sleeper sleeper) {
        // Resolved per answer: the knowledge module's model, when there is one, ranks the extractive quotes by meaning.
        this.local = new LocalExtractiveResponder((question, sentences) -> sentenceSimilarity.getIfAvailable(() -> SentenceSimilarity.NONE)
                .similarities(question, sentences));
        this.defaultChain = Chain.parse(properties.defaultChain());
        this.retry = properties.retry();
        this.sleeper = sleeper;
        this.providers = providers;
        this.states = states;
        this.clients = clients;
        this.metrics = metrics;
        this.events = events;
        this.spans = spans;
    }

    @Override
    public Chain defaultChain() {
        return defaultChain;
    }

    @Override
    public int contextTokens(Chain chain, int fallback) {
        return chain.targets().stream()
                .flatMap(target -> providers.find(target.providerId()).flatMap(provider -> provider.model(target.model())).stream())
                .map(ProviderSpec.ModelSpec::contextLength)
                .filter(length -> length != null && length > 0)
                .min(Integer::compare)
                .orElse(fallback);
    }

    @Override
    public LlmResult generate(Chain chain, LlmRequest request) {
        return route(chain, request, null);
    }

    @Override
    public LlmResult stream(Chain chain, LlmRequest request, Consumer<String> onDelta) {
        return route(chain, request, onDelta);
    }

    @Override
    public void destroy() {
        calls.shutdownNow();
    }

    /** A failed call, already classified. Carries no stack trace: it is control flow. */
    private static final class CallFailed extends RuntimeException {

        private final transient Failure failure;

        CallFailed(Failure failure) {
            super(failure.outcome().kind(), null, false, false);
            this.failure = failure;
        }
    }

    private LlmResult route(Chain chain, LlmRequest request, Consumer<String> onDelta) {
        List<Attempt> attempts = new ArrayList<>();
        Target first = chain.targets().get(0);
        boolean providerTargets = false;
        boolean mayCallTools = false;
        for (Target target : chain.targets()) {
            if (target.equals(Target.LOCAL_EXTRACTIVE)) {
                if (request.requiresTools() && !mayCallTools) {
                    throw new NoToolCapableTargetException(chain, attempts);
                }
                return answerLocally(request, attempts, providerTargets, first, onDelta);
            }
            providerTargets = true;
            Optional<ProviderSpec> provider = providers.find(target.providerId());
            if (provider.isEmpty()) {
                mayCallTools = true;
                skip(attempts, null, target, AttemptOutcome.UNKNOWN_PROVIDER);
                continue;
            }
            mayCallTools |= !lacksTools(provider.get(), target, request);
            if (!capable(provider.get(), target, request)) {
                skip(attempts, provider.get().kind(), target, AttemptOutcome.SKIPPED_CAPABILITY);
                continue;
            }
            Optional<LlmResult> result = tryTarget(provider.get(), target, request, attempts, first, onDelta);
            if (result.isPresent()) {
                return result.get();
            }
        }
        throw new IllegalStateException("A chain always ends with the local extractive responder");
    }

    /** Whether the request needs tools and the target's model is marked as having none. */
    private static boolean lacksTools(ProviderSpec provider, Target target, LlmRequest request) {
        return request.requiresTools()
                && provider.model(target.model()).map(model -> Boolean.FALSE.equals(model.tools())).orElse(false);
    }

    private static boolean capable(ProviderSpec provider, Target target, LlmRequest request) {
        Optional<ProviderSpec.ModelSpec> model = provider.model(target.model());
        if (model.isEmpty()) {
            return true;
        }
        if (lacksTools(provider, target, request)) {
            return false;
        }
        Integer context = model.get().contextLength();
        long needed = request.estimatedPromptTokens() + (request.maxTokens() == null ? 0 : request.maxTokens());
        return context == null || needed <= context;
    }

    private void skip(List<Attempt> attempts, ProviderKind kind, Target target, AttemptOutcome reason) {
        attempts.add(new Attempt(target, reason, 0));
        metrics.skipped(target, reason);
        spans.skipped(kind, target, reason);
    }

    /** Tries one target, with retries; empty when the chain should move on. */
    private Optional<LlmResult> tryTarget(ProviderSpec provider, Target target, LlmRequest request, List<Attempt> attempts,
            Target first, Consumer<String> onDelta) {
        CircuitBreaker breaker = states.breaker(provider, target);
        for (int retryCount = 0;; retryCount++) {
            if (!breaker.tryAcquirePermission()) {
                skip(attempts, provider.kind(), target, AttemptOutcome.BREAKER_OPEN);
                return Optional.empty();
            }
            long start = System.nanoTime();
            Failure failure;
            try (TraceSpan span = spans.start(provider.kind(), target, request, retryCount + 1)) {
                try {
                    Answered answered = onDelta == null ? call(provider, target, request) : stream(provider, target, request, onDelta);
                    AttemptSpans.answered(span, answered.complete() ? AttemptOutcome.ANSWERED : AttemptOutcome.STREAM_INTERRUPTED,
                            answered.responseModel(), answered.finishReasons(), answered.usage(), answered.content());
                    return Optional.of(settled(provider, target, request, attempts, first, answered, start));
                }
                catch (CallFailed failed) {
                    failure = failed.failure;
                    AttemptSpans.failed(span, failure.outcome());
                }
                catch (RuntimeException notOurs) {
                    // The caller's delta consumer failed (e.g. the client went away): not the target's fault.
                    breaker.releasePermission();
                    span.failed(notOurs);
                    throw notOurs;
                }
            }
            long nanos = System.nanoTime() - start;
            AttemptOutcome outcome = failure.outcome();
            if (outcome.countsAgainstTarget()) {
                breaker.onError(nanos, TimeUnit.NANOSECONDS, new CallFailed(failure));
            }
            else {
                breaker.releasePermission();
            }
            states.failed(provider, outcome);
            states.called(provider, target, outcome, nanos);
            metrics.call(target, outcome, nanos);
            attempts.add(new Attempt(target, outcome, TimeUnit.NANOSECONDS.toMillis(nanos)));
            log.info("LLM target {} failed: {} after {} ms (attempt {} of {})", target, outcome.kind(),
                    TimeUnit.NANOSECONDS.toMillis(nanos), retryCount + 1, provider.maxRetries() + 1);
            Optional<Duration> backoff = backoff(failure, retryCount, provider.maxRetries());
            if (backoff.isEmpty()) {
                return Optional.empty();
            }
            sleep(backoff.get());
        }
    }

    /** Records an answer (complete, or a stream cut after its first token) with the breaker, metrics and attempts. */
    private LlmResult settled(ProviderSpec provider, Target target, LlmRequest request, List<Attempt> attempts, Target first,
            Answered answered, long start) {
        CircuitBreaker breaker = states.breaker(provider, target);
        long nanos = System.nanoTime() - start;
        AttemptOutcome outcome = answered.complete() ? AttemptOutcome.ANSWERED : AttemptOutcome.STREAM_INTERRUPTED;
        if (answered.complete()) {
            breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
            states.succeeded(provider);
        }
        else {
            breaker.onError(nanos, TimeUnit.NANOSECONDS, new CallFailed(Failure.of(outcome)));
            states.failed(provider, outcome);
        }
        states.called(provider, target, outcome, nanos);
        metrics.call(target, outcome, nanos);
        attempts.add(new Attempt(target, outcome, TimeUnit.NANOSECONDS.toMillis(nanos)));
        return answeredBy(target, first, answered, request, attempts);
    }

    /** How long to wait before retrying the same target, or empty to fail over now: the one {@link RetryPolicy}. */
    private Optional<Duration> backoff(Failure failure, int retryCount, int maxRetries) {
        if (!failure.outcome().retryable()) {
            return Optional.empty();
        }
        RetryPolicy policy = new RetryPolicy(retry.initialBackoff(), retry.maxBackoff(), retry.maxRetryAfter(), maxRetries);
        return policy.delay(retryCount, failure.retryAfter(), ThreadLocalRandom.current());
    }

    private void sleep(Duration duration) {
        try {
            sleeper.sleep(duration);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new CallFailed(Failure.of(AttemptOutcome.FAILED));
        }
    }

    /** What a target produced, and what it reported about it (for the attempt's span). */
    private record Answered(String content, Usage usage, boolean complete, List<ToolCall> toolCalls, String responseModel,
            List<String> finishReasons) {
    }

    private LlmResult answeredBy(Target target, Target first, Answered answered, LlmRequest request, List<Attempt> attempts) {
        metrics.tokens(target, answered.usage());
        if (!target.equals(first)) {
            metrics.failover(first, firstUnknown(attempts), target);
        }
        events.publishEvent(new TokensUsed(target, answered.usage(), request.purpose()));
        return new LlmResult(answered.content(), target, attempts, answered.usage(), !target.equals(first),
                answered.complete(), List.of(), answered.toolCalls());
    }

    /** Whether the chain's first target names a provider that does not exist. */
    private static boolean firstUnknown(List<Attempt> attempts) {
        return !attempts.isEmpty() && attempts.get(0).outcome() == AttemptOutcome.UNKNOWN_PROVIDER;
    }

    private LlmResult answerLocally(LlmRequest request, List<Attempt> attempts, boolean providerTargets, Target first,
            Consumer<String> onDelta) {
        long start = System.nanoTime();
        LocalExtractiveResponder.Answer answer = local.answer(request.question(), request.passages());
        if (providerTargets && answer.citations().isEmpty()) {
            spans.local(null, false);
            throw new LlmUnavailableException(attempts);
        }
        spans.local(answer.content(), true);
        long nanos = System.nanoTime() - start;
        attempts.add(new Attempt(Target.LOCAL_EXTRACTIVE, AttemptOutcome.ANSWERED, TimeUnit.NANOSECONDS.toMillis(nanos)));
        metrics.call(Target.LOCAL_EXTRACTIVE, AttemptOutcome.ANSWERED, nanos);
        if (!Target.LOCAL_EXTRACTIVE.equals(first)) {
            metrics.failover(first, firstUnknown(attempts), Target.LOCAL_EXTRACTIVE);
        }
        if (onDelta != null) {
            onDelta.accept(answer.content());
        }
        return new LlmResult(answer.content(), Target.LOCAL_EXTRACTIVE, attempts, Usage.NONE,
                !Target.LOCAL_EXTRACTIVE.equals(first), true, answer.citations());
    }

    // --- calling one target -------------------------------------------------------------------------

    /** The target's client; a provider whose client cannot be built (bad settings) fails like a call. */
    private ChatModel client(ProviderSpec provider, Target target) {
        try {
            return clients.of(provider, target);
        }
        catch (RuntimeException ex) {
            log.warn("Cannot build the client of LLM target {} ({}): {}", target, provider.kind().id(), ex.getMessage());
            throw new CallFailed(Failure.of(AttemptOutcome.FAILED));
        }
    }

    /**
     * Whether the call goes over the direct OpenAI wire ({@link OpenAiWire}) instead of Spring AI's client: an
     * OpenAI-kind provider, and a conversation of plain text (no tools offered, no tool calls or results in it).
     */
    private static boolean onWire(ProviderSpec provider, LlmRequest request) {
        if (provider.kind() != ProviderKind.OPENAI || !request.tools().isEmpty()) {
            return false;
        }
        for (LlmMessage message : request.messages()) {
            if (message.role() == LlmMessage.Role.TOOL || !message.toolCalls().isEmpty()) {
                return false;
            }
        }
        return true;
    }

    private OpenAiWire wire(ProviderSpec provider, Target target) {
        try {
            return clients.wire(provider);
        }
        catch (RuntimeException ex) {
            log.warn("Cannot build the client of LLM target {} ({}): {}", target, provider.kind().id(), ex.getMessage());
            throw new CallFailed(Failure.of(AttemptOutcome.FAILED));
        }
    }

    /** A plain call over the wire, on the caller's thread, OkHttp's call timeout enforcing the total. */
    private Answered wireCall(ProviderSpec provider, Target target, LlmRequest request) {
        try {
            OpenAiWire.Reply reply = wire(provider, target).complete(target.model(), request.messages(), request.temperature(),
                    request.maxTokens(), provider.timeouts().total());
            return answered(reply, request, true);
        }
        catch (IOException | RuntimeException ex) {
            if (ex instanceof CallFailed failed) {
                throw failed;
            }
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new CallFailed(Failure.of(AttemptOutcome.FAILED));
            }
            throw new CallFailed(classified(ex, target));
        }
    }

    private static Answered answered(OpenAiWire.Reply reply, LlmRequest request, boolean complete) {
        String content = reply.content();
        Usage usage;
        if (reply.promptTokens() + reply.completionTokens() > 0) {
            long input = reply.promptTokens();
            long output = reply.completionTokens();
            usage = new Usage(input > 0 ? input : request.estimatedPromptTokens(), output > 0 ? output : content.length() / 3 + 1,
                    input == 0 || output == 0);
        }
        else {
            usage = estimated(request, content);
        }
        return new Answered(content, usage, complete, List.of(), reply.model().isBlank() ? null : reply.model(),
                reply.finishReason().isBlank() ? List.of() : List.of(reply.finishReason().toLowerCase(Locale.ROOT)));
    }

    /**
     * A streamed call over the wire: read on a virtual thread of its own, its pieces handed over here, where the
     * first-token and total deadlines hold as for Spring AI's streams (failover only before the first token).
     */
    private Answered wireStream(ProviderSpec provider, Target target, LlmRequest request, Consumer<String> onDelta) {
        OpenAiWire wire = wire(provider, target);
        LinkedBlockingQueue<Signal> signals = new LinkedBlockingQueue<>();
        long start = System.nanoTime();
        long firstTokenDeadline = start + provider.timeouts().firstToken().toNanos();
        long totalDeadline = start + provider.timeouts().total().toNanos();
        AtomicReference<OpenAiWire.Cancellable> cancel = new AtomicReference<>();
        Future<?> reading = calls.submit(() -> {
            try {
                OpenAiWire.Reply reply = wire.stream(target.model(), request.messages(), request.temperature(), request.maxTokens(),
                        cancel::set, delta -> signals.add(new Signal.Delta(delta)));
                signals.add(new Signal.Ended(reply));
            }
            catch (IOException | RuntimeException ex) {
                signals.add(new Signal.Error(ex));
            }
        });
        StringBuilder content = new StringBuilder();
        try {
            while (true) {
                boolean started = !content.isEmpty();
                long deadline = started ? totalDeadline : Math.min(firstTokenDeadline, totalDeadline);
                Signal signal = signals.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                switch (signal) {
                    case null -> {
                        if (!started) {
                            throw new CallFailed(Failure.of(AttemptOutcome.TIMEOUT));
                        }
                        return partial(content, request);
                    }
                    case Signal.Delta delta -> {
                        content.append(delta.text());
                        onDelta.accept(delta.text());
                    }
                    case Signal.Error error -> {
                        if (!started) {
                            throw new CallFailed(classified(error.error(), target));
                        }
                        return partial(content, request);
                    }
                    case Signal.Ended ended -> {
                        if (!started && ended.reply().finishReason().isBlank()) {
                            throw new CallFailed(Failure.of(AttemptOutcome.CONNECTION_RESET));
                        }
                        if (ended.reply().finishReason().isBlank()) {
                            return partial(content, request);
                        }
                        return answered(ended.reply(), request, true);
                    }
                    case Signal.Item item -> throw new IllegalStateException("a Spring AI signal on the wire's stream");
                    case Signal.Done done -> throw new IllegalStateException("a Spring AI signal on the wire's stream");
                }
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new CallFailed(Failure.of(AttemptOutcome.FAILED));
        }
        finally {
            OpenAiWire.Cancellable call = cancel.get();
            if (call != null && !reading.isDone()) {
                call.cancel();
            }
            reading.cancel(true);
        }
    }

    private Answered call(ProviderSpec provider, Target target, LlmRequest request) {
        if (onWire(provider, request)) {
            return wireCall(provider, target, request);
        }
        ChatModel model = client(provider, target);
        Prompt prompt = prompt(model, provider, target, request);
        Future<ChatResponse> response = calls.submit(() -> model.call(prompt));
        try {
            ChatResponse answer = response.get(provider.timeouts().total().toNanos(), TimeUnit.NANOSECONDS);
            String content = text(answer);
            ToolCallAssembler calls = new ToolCallAssembler();
            toolCallParts(answer).forEach(calls::add);
            calls.addSignatures(ProviderState.signatures(answer));
            return new Answered(content, usage(answer, request, content), true, calls.calls(), responseModel(answer),
                    finishReasons(answer));
        }
        catch (TimeoutException ex) {
            response.cancel(true);
            throw new CallFailed(Failure.of(AttemptOutcome.TIMEOUT));
        }
        catch (ExecutionException ex) {
            throw new CallFailed(classified(ex.getCause(), target));
        }
        catch (InterruptedException ex) {
            response.cancel(true);
            Thread.currentThread().interrupt();
            throw new CallFailed(Failure.of(AttemptOutcome.FAILED));
        }
    }

    private sealed interface Signal {
        record Item(ChatResponse response) implements Signal {
        }

        record Error(Throwable error) implements Signal {
        }

        record Done() implements Signal {
        }

        /** A piece of text read from the direct wire. */
        record Delta(String text) implements Signal {
        }

        /** The direct wire's stream ended (with or without a finish reason). */
        record Ended(OpenAiWire.Reply reply) implements Signal {
        }
    }

    private Answered stream(ProviderSpec provider, Target target, LlmRequest request, Consumer<String> onDelta) {
        if (onWire(provider, request)) {
            return wireStream(provider, target, request, onDelta);
        }
        ChatModel model = client(provider, target);
        LinkedBlockingQueue<Signal> signals = new LinkedBlockingQueue<>();
        long start = System.nanoTime();
        long firstTokenDeadline = start + provider.timeouts().firstToken().toNanos();
        long totalDeadline = start + provider.timeouts().total().toNanos();
        Disposable subscription = model.stream(prompt(model, provider, target, request)).subscribeOn(streams).subscribe(
                response -> signals.add(new Signal.Item(response)),
                error -> signals.add(new Signal.Error(error)),
                () -> signals.add(new Signal.Done()));
        StringBuilder content = new StringBuilder();
        ToolCallAssembler calls = new ToolCallAssembler();
        ChatResponse last = null;
        List<String> reasons = List.of();
        boolean finished = false;
        try {
            while (true) {
                // A tool call counts as the first token: after it, no failover (the caller may have shown it).
                boolean started = !content.isEmpty() || !calls.isEmpty();
                long deadline = started ? totalDeadline : Math.min(firstTokenDeadline, totalDeadline);
                Signal signal = signals.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                switch (signal) {
                    case null -> {
                        if (!started) {
                            throw new CallFailed(Failure.of(AttemptOutcome.TIMEOUT));
                        }
                        return partial(content, request);
                    }
                    case Signal.Item item -> {
                        String delta = text(item.response());
                        if (!delta.isEmpty()) {
                            content.append(delta);
                            onDelta.accept(delta);
                        }
                        toolCallParts(item.response()).forEach(calls::add);
                        calls.addSignatures(ProviderState.signatures(item.response()));
                        finished |= finished(provider, item.response());
                        if (reasons.isEmpty()) {
                            reasons = finishReasons(item.response());
                        }
                        if (hasUsage(item.response())) {
                            last = item.response();
                        }
                    }
                    case Signal.Error error -> {
                        if (!started) {
                            throw new CallFailed(classified(error.error(), target));
                        }
                        return partial(content, request);
                    }
                    case Signal.Delta delta -> throw new IllegalStateException("a wire signal on Spring AI's stream");
                    case Signal.Ended ended -> throw new IllegalStateException("a wire signal on Spring AI's stream");
                    case Signal.Done done -> {
                        if (!started) {
                            throw new CallFailed(Failure.of(AttemptOutcome.CONNECTION_RESET));
                        }
                        if (!finished) {
                            return partial(content, request);
                        }
                        String text = content.toString();
                        return new Answered(text, last != null ? usage(last, request, text) : estimated(request, text), true,
                                calls.calls(), responseModel(last), reasons);
                    }
                }
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new CallFailed(Failure.of(AttemptOutcome.FAILED));
        }
        finally {
            subscription.dispose();
        }
    }

    /** An interrupted stream: its text so far; tool calls only when complete, never half a call's arguments. */
    private static Answered partial(StringBuilder content, LlmRequest request) {
        String text = content.toString();
        return new Answered(text, estimated(request, text), false, List.of(), null, List.of());
    }

    /** The model the provider says answered (it may differ from the one asked for: an alias, a dated version). */
    private static String responseModel(ChatResponse response) {
        ChatResponseMetadata metadata = response == null ? null : response.getMetadata();
        String model = metadata == null ? null : metadata.getModel();
        return model == null || model.isBlank() ? null : model;
    }

    /** The finish reasons the provider gave (OpenAI's client says {@code _UNKNOWN} while there is none). */
    private static List<String> finishReasons(ChatResponse response) {
        if (response == null || response.getResults() == null) {
            return List.of();
        }
        return response.getResults().stream()
                .filter(generation -> generation != null && generation.getMetadata() != null)
                .map(generation -> generation.getMetadata().getFinishReason())
                .filter(reason -> reason != null && !reason.isBlank() && !reason.equals("_UNKNOWN"))
                .map(reason -> reason.toLowerCase(Locale.ROOT))
                .toList();
    }

    /**
     * The messages with every system message joined into the first: Spring AI's Gemini client refuses a prompt with
     * more than one ("Only one system message is allowed"), and a turn has several (instructions, passages, a note).
     */
    static List<LlmMessage> oneSystemMessage(List<LlmMessage> messages) {
        List<String> system = messages.stream().filter(m -> m.role() == LlmMessage.Role.SYSTEM).map(LlmMessage::content).toList();
        if (system.size() <= 1) {
            return messages;
        }
        List<LlmMessage> joined = new ArrayList<>();
        joined.add(LlmMessage.system(String.join("\n\n", system)));
        messages.stream().filter(m -> m.role() != LlmMessage.Role.SYSTEM).forEach(joined::add);
        return joined;
    }

    private static Failure classified(Throwable error, Target target) {
        Failure failure = Failure.classify(error);
        if (failure.outcome() == AttemptOutcome.FAILED) {
            // Unrecognised: keep the exception type for operators, never its message (it may hold provider text).
            log.warn("LLM target {} failed with an unrecognised {}", target, error.getClass().getName());
        }
        return failure;
    }

    private static Prompt prompt(ChatModel model, ProviderSpec provider, Target target, LlmRequest request) {
        List<Message> messages = new ArrayList<>();
        for (LlmMessage message : provider.kind() == ProviderKind.GEMINI ? oneSystemMessage(request.messages()) : request.messages()) {
            messages.add(switch (message.role()) {
                case SYSTEM -> new SystemMessage(message.content());
                case USER -> new UserMessage(message.content());
                case ASSISTANT -> AssistantMessage.builder().content(message.content())
                        .properties(ProviderState.properties(message.toolCalls()))
                        .toolCalls(message.toolCalls().stream()
                                .map(call -> new AssistantMessage.ToolCall(call.id(), "function", call.name(), call.arguments()))
                                .toList())
                        .build();
                case TOOL -> ToolResponseMessage.builder()
                        .responses(List.of(new ToolResponseMessage.ToolResponse(message.toolCallId(), message.toolName(),
                                provider.kind() == ProviderKind.GEMINI ? ToolResults.asJsonObject(message.content()) : message.content())))
                        .build();
            });
        }
        // The client's own options type, starting from its defaults (URL, key, timeouts): each client
        // insists on its own type. All four are tool-calling options.
        ChatOptions.Builder<?> options = model.getOptions().mutate()
                .model(target.model())
                .temperature(request.temperature())
                .maxTokens(request.maxTokens());
        if (!request.tools().isEmpty() && options instanceof ToolCallingChatOptions.Builder<?> withTools) {
            withTools.toolCallbacks(request.tools().stream().map(DeclaredTool::new).map(ToolCallback.class::cast).toList());
        }
        return new Prompt(messages, options.build());
    }

    private static List<AssistantMessage.ToolCall> toolCallParts(ChatResponse response) {
        if (response == null || response.getResults() == null) {
            return List.of();
        }
        List<AssistantMessage.ToolCall> parts = new ArrayList<>();
        for (Generation generation : response.getResults()) {
            if (generation != null && generation.getOutput() != null && generation.getOutput().hasToolCalls()) {
                parts.addAll(generation.getOutput().getToolCalls());
            }
        }
        return parts;
    }

    private static String text(ChatResponse response) {
        if (response == null || response.getResults() == null) {
            return "";
        }
        StringBuilder text = new StringBuilder();
        for (Generation generation : response.getResults()) {
            if (generation != null && generation.getOutput() != null && generation.getOutput().getText() != null) {
                text.append(generation.getOutput().getText());
            }
        }
        return text.toString();
    }

    /**
     * Whether this part of a stream says the answer is complete: a finish reason (OpenAI's client says
     * {@code _UNKNOWN} while there is none). Spring AI's Gemini client gives every part a finish reason, so
     * there the final part is recognised by its output token count, which only it carries.
     */
    private static boolean finished(ProviderSpec provider, ChatResponse response) {
        if (response == null || response.getResults() == null) {
            return false;
        }
        if (provider.kind() == ProviderKind.GEMINI) {
            return hasUsage(response) && orZero(response.getMetadata().getUsage().getCompletionTokens()) > 0;
        }
        return response.getResults().stream()
                .filter(generation -> generation != null && generation.getMetadata() != null)
                .map(generation -> generation.getMetadata().getFinishReason())
                .anyMatch(reason -> reason != null && !reason.isBlank() && !reason.equals("_UNKNOWN"));
    }

    private static boolean hasUsage(ChatResponse response) {
        ChatResponseMetadata metadata = response == null ? null : response.getMetadata();
        return metadata != null && metadata.getUsage() != null && metadata.getUsage().getTotalTokens() != null
                && metadata.getUsage().getTotalTokens() > 0;
    }

    private static Usage usage(ChatResponse response, LlmRequest request, String content) {
        if (!hasUsage(response)) {
            return estimated(request, content);
        }
        org.springframework.ai.chat.metadata.Usage usage = response.getMetadata().getUsage();
        long input = orZero(usage.getPromptTokens());
        long output = orZero(usage.getCompletionTokens());
        // Some streams report only one side (Anthropic's final event carries the output tokens alone).
        return new Usage(input > 0 ? input : request.estimatedPromptTokens(), output > 0 ? output : content.length() / 3 + 1,
                input == 0 || output == 0);
    }

    private static long orZero(Integer value) {
        return value == null ? 0 : value;
    }

    private static Usage estimated(LlmRequest request, String content) {
        return new Usage(request.estimatedPromptTokens(), content.length() / 3 + 1, true);
    }
}
