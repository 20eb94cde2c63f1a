package dev.switchboard.llm.internal;

import static dev.switchboard.llm.AttemptOutcome.ANSWERED;
import static dev.switchboard.llm.AttemptOutcome.AUTH_FAILED;
import static dev.switchboard.llm.AttemptOutcome.BREAKER_OPEN;
import static dev.switchboard.llm.AttemptOutcome.CONNECTION_RESET;
import static dev.switchboard.llm.AttemptOutcome.CONNECT_FAILED;
import static dev.switchboard.llm.AttemptOutcome.MALFORMED_RESPONSE;
import static dev.switchboard.llm.AttemptOutcome.RATE_LIMITED;
import static dev.switchboard.llm.AttemptOutcome.REQUEST_REJECTED;
import static dev.switchboard.llm.AttemptOutcome.SERVER_ERROR;
import static dev.switchboard.llm.AttemptOutcome.SKIPPED_CAPABILITY;
import static dev.switchboard.llm.AttemptOutcome.STREAM_INTERRUPTED;
import static dev.switchboard.llm.AttemptOutcome.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import dev.switchboard.fakellm.Behaviour;
import dev.switchboard.fakellm.FakeLlmServer;
import dev.switchboard.llm.Attempt;
import dev.switchboard.llm.AttemptOutcome;
import dev.switchboard.llm.LlmMessage;
import dev.switchboard.llm.LlmRequest;
import dev.switchboard.llm.LlmResult;
import dev.switchboard.llm.LlmUnavailableException;
import dev.switchboard.llm.Passage;
import dev.switchboard.llm.Target;
import dev.switchboard.llm.internal.provider.ProviderKind;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;

/**
 * The router against real HTTP: each provider kind's Spring AI client talks to the fake provider, which
 * answers or fails the way real providers do.
 */
class ChainRouterTests {

    static final String ANSWER = "Paris is the capital of France.";

    final FakeLlmServer primary = new FakeLlmServer();
    final FakeLlmServer backup = new FakeLlmServer();
    RouterFixture fixture;

    ChainRouterTests() throws IOException {
        primary.always(Behaviour.reply(ANSWER));
        backup.always(Behaviour.reply("Backup says Paris."));
    }

    @AfterEach
    void stop() {
        primary.close();
        backup.close();
        if (fixture != null) {
            fixture.close();
        }
    }

    RouterFixture route(ProviderKind kind, LlmProperties.Provider primaryProvider) {
        Map<String, LlmProperties.Provider> providers = new LinkedHashMap<>();
        providers.put("primary", primaryProvider);
        providers.put("backup", RouterFixture.provider(kind, RouterFixture.baseUrl(kind, backup.baseUrl())));
        fixture = new RouterFixture(providers, "primary:model-a,backup:model-b", RouterFixture.lenientBreaker());
        return fixture;
    }

    RouterFixture route(ProviderKind kind) {
        return route(kind, RouterFixture.provider(kind, RouterFixture.baseUrl(kind, primary.baseUrl())));
    }

    static LlmRequest question() {
        return new LlmRequest(List.of(LlmMessage.system("Answer briefly."), LlmMessage.user("What is the capital of France?")),
                List.of(), 0.2, 200, false, "test");
    }

    LlmResult generate() {
        return fixture.router.generate(fixture.router.defaultChain(), question());
    }

    record Streamed(LlmResult result, String deltas) {
    }

    Streamed stream() {
        StringBuilder deltas = new StringBuilder();
        LlmResult result = fixture.router.stream(fixture.router.defaultChain(), question(), deltas::append);
        return new Streamed(result, deltas.toString());
    }

    static List<AttemptOutcome> outcomes(LlmResult result) {
        return result.attempts().stream().map(Attempt::outcome).toList();
    }

    @Test
    void theOpenAiTransportSendsTheKeyAndALargeConversationIntact() {
        route(ProviderKind.OPENAI);
        List<LlmMessage> messages = new java.util.ArrayList<>(List.of(LlmMessage.system("Answer briefly.")));
        for (int i = 0; i < 60; i++) {
            messages.add(i % 2 == 0 ? LlmMessage.user("Question " + i + " " + "é€ words ".repeat(40))
                    : LlmMessage.assistant("Answer " + i));
        }
        messages.add(LlmMessage.user("Last question"));
        LlmResult result = fixture.router.generate(fixture.router.defaultChain(),
                new LlmRequest(messages, List.of(), 0.2, 200, false, "test"));
        assertThat(result.content()).isEqualTo(ANSWER);
        FakeLlmServer.Received received = primary.received().getLast();
        assertThat(received.path()).isEqualTo("/v1/chat/completions");
        assertThat(received.headers().get("Authorization")).containsExactly("Bearer test-key-openai");
        assertThat(received.body().path("messages")).hasSize(62);
        assertThat(received.body().path("messages").get(1).path("content").asString()).endsWith("é€ words ");
        assertThat(received.body().path("messages").get(61).path("content").asString()).isEqualTo("Last question");
    }

    /** Whether a received request came from the OpenAI SDK (it names itself in {@code X-Stainless-*} headers). */
    static boolean fromTheSdk(FakeLlmServer.Received received) {
        return received.headers().keySet().stream().anyMatch(name -> name.toLowerCase(java.util.Locale.ROOT).startsWith("x-stainless"));
    }

    @Test
    void plainOpenAiCallsGoOverTheDirectWireWithExactUsageAndCallsWithToolsThroughTheSdk() {
        route(ProviderKind.OPENAI);
        LlmResult plain = generate();
        Streamed streamed = stream();
        assertThat(plain.content()).isEqualTo(ANSWER);
        assertThat(plain.usage().estimated()).isFalse();
        assertThat(streamed.deltas()).isEqualTo(ANSWER);
        assertThat(streamed.result().complete()).isTrue();
        // The fake counts 6 words and sends usage only when asked (stream_options.include_usage): not estimated.
        assertThat(streamed.result().usage().estimated()).isFalse();
        assertThat(streamed.result().usage().outputTokens()).isEqualTo(6);
        assertThat(fixture.tokensUsed).hasSize(2);
        assertThat(primary.received()).hasSize(2).noneMatch(ChainRouterTests::fromTheSdk);
        assertThat(primary.received().getLast().body().path("stream_options").path("include_usage").asBoolean()).isTrue();
        assertThat(primary.received().getLast().body().path("model").asString()).isEqualTo("model-a");

        primary.reset();
        LlmResult withTools = fixture.router.generate(fixture.router.defaultChain(), LlmRequest.withTools(question().messages(),
                List.of(new dev.switchboard.llm.LlmTool("get_weather", "The weather.", "{\"type\":\"object\",\"properties\":{}}")),
                "test"));
        assertThat(withTools.content()).isEqualTo(ANSWER);
        assertThat(primary.received()).singleElement().matches(ChainRouterTests::fromTheSdk);
    }

    @Test
    void aStreamOnTheWireThatEndsWithoutAFinishReasonBeforeItsFirstTokenFailsOver() {
        route(ProviderKind.OPENAI);
        primary.always(new Behaviour.CutBeforeFirstToken());
        Streamed streamed = stream();
        assertThat(streamed.result().target()).isEqualTo(Target.parse("backup:model-b"));
        assertThat(streamed.result().failover()).isTrue();
        assertThat(outcomes(streamed.result())).first().isEqualTo(CONNECTION_RESET);
        assertThat(streamed.deltas()).isEqualTo("Backup says Paris.");
    }

    @ParameterizedTest
    @EnumSource(ProviderKind.class)
    void everyKindAnswersWithUsage(ProviderKind kind) {
        route(kind);
        LlmResult result = generate();
        assertThat(result.content()).isEqualTo(ANSWER);
        assertThat(result.target()).isEqualTo(Target.parse("primary:model-a"));
        assertThat(result.complete()).isTrue();
        assertThat(result.failover()).isFalse();
        assertThat(outcomes(result)).containsExactly(ANSWERED);
        assertThat(result.usage().estimated()).isFalse();
        assertThat(result.usage().outputTokens()).isEqualTo(6);
        assertThat(result.usage().inputTokens()).isPositive();
        assertThat(fixture.tokensUsed).singleElement().satisfies(used -> assertThat(used.usage()).isEqualTo(result.usage()));
        assertThat(primary.received()).singleElement().satisfies(received -> assertThat(received.path() + received.body())
                .contains("What is the capital of France?").contains("Answer briefly.").contains("model-a"));
    }

    @ParameterizedTest
    @EnumSource(ProviderKind.class)
    void everyKindStreams(ProviderKind kind) {
        route(kind);
        Streamed streamed = stream();
        assertThat(streamed.deltas()).isEqualTo(ANSWER);
        assertThat(streamed.result().content()).isEqualTo(ANSWER);
        assertThat(streamed.result().complete()).isTrue();
        assertThat(outcomes(streamed.result())).containsExactly(ANSWERED);
        assertThat(streamed.result().usage().outputTokens()).isPositive();
    }

    @ParameterizedTest
    @EnumSource(ProviderKind.class)
    void everyKindFailsOverOnServerErrorsAfterRetrying(ProviderKind kind) {
        route(kind);
        primary.always(Behaviour.serverError());
        LlmResult result = generate();
        assertThat(result.content()).isEqualTo("Backup says Paris.");
        assertThat(result.failover()).isTrue();
        assertThat(outcomes(result)).containsExactly(SERVER_ERROR, SERVER_ERROR, ANSWERED);
        assertThat(primary.received()).hasSize(2);
    }

    @ParameterizedTest
    @EnumSource(ProviderKind.class)
    void everyKindFailsOverWhenAStreamBreaksBeforeItsFirstToken(ProviderKind kind) {
        route(kind);
        primary.always(new Behaviour.CutBeforeFirstToken());
        Streamed streamed = stream();
        assertThat(streamed.deltas()).isEqualTo("Backup says Paris.");
        assertThat(streamed.result().target()).isEqualTo(Target.parse("backup:model-b"));
        assertThat(outcomes(streamed.result()).getLast()).isEqualTo(ANSWERED);
        assertThat(outcomes(streamed.result())).first().isIn(CONNECTION_RESET, MALFORMED_RESPONSE);
    }

    @ParameterizedTest
    @EnumSource(ProviderKind.class)
    void everyKindKeepsThePartialAnswerWhenAStreamBreaksAfterItsFirstToken(ProviderKind kind) {
        route(kind);
        primary.always(new Behaviour.CutAfterFirstToken(ANSWER));
        Streamed streamed = stream();
        assertThat(streamed.deltas()).isEqualTo("Paris ");
        assertThat(streamed.result().content()).isEqualTo("Paris ");
        assertThat(streamed.result().complete()).isFalse();
        assertThat(streamed.result().target()).isEqualTo(Target.parse("primary:model-a"));
        assertThat(outcomes(streamed.result())).containsExactly(STREAM_INTERRUPTED);
        assertThat(backup.received()).as("no failover after the first token").isEmpty();
    }

    static Stream<Arguments> kindsAndFaults() {
        List<Arguments> cases = new ArrayList<>();
        for (ProviderKind kind : ProviderKind.values()) {
            // Gemini's client drops the response headers, so its Retry-After cannot be honoured: it is retried.
            cases.add(Arguments.of(kind, Behaviour.rateLimited(60), RATE_LIMITED, kind == ProviderKind.GEMINI ? 2 : 1));
            cases.add(Arguments.of(kind, new Behaviour.Reset(), CONNECTION_RESET, 2));
            cases.add(Arguments.of(kind, new Behaviour.Malformed(), MALFORMED_RESPONSE, 1));
            cases.add(Arguments.of(kind, new Behaviour.Error(401, 0), AUTH_FAILED, 1));
            cases.add(Arguments.of(kind, new Behaviour.Error(400, 0), REQUEST_REJECTED, 1));
            cases.add(Arguments.of(kind, new Behaviour.Error(503, 0), SERVER_ERROR, 2));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("kindsAndFaults")
    void everyKindRecognisesEachFaultAndFailsOver(ProviderKind kind, Behaviour fault, AttemptOutcome expected, int tries) {
        route(kind);
        primary.always(fault);
        LlmResult result = generate();
        List<AttemptOutcome> failures = new ArrayList<>(Collections.nCopies(tries, expected));
        failures.add(ANSWERED);
        assertThat(outcomes(result)).as("retryable faults are retried once, others not").isEqualTo(failures);
        assertThat(result.target()).isEqualTo(Target.parse("backup:model-b"));
        assertThat(fixture.states.state(fixture.directory.find("primary").orElseThrow()).lastErrorKind()).contains(expected);
    }

    @Test
    void aProviderWhoseClientCannotBeBuiltFailsOverInsteadOfFailingTheRequest() {
        route(ProviderKind.GEMINI, new LlmProperties.Provider(ProviderKind.GEMINI, "::not a url::", null, List.of(),
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), 0));
        LlmResult result = generate();
        assertThat(outcomes(result)).containsExactly(AttemptOutcome.FAILED, ANSWERED);
        assertThat(result.target()).isEqualTo(Target.parse("backup:model-b"));
    }

    @Test
    void sendsSamplingSettings() {
        route(ProviderKind.OPENAI);
        generate();
        assertThat(primary.received().getFirst().body().path("temperature").asDouble()).isEqualTo(0.2);
        assertThat(primary.received().getFirst().body().toString()).containsAnyOf("\"max_tokens\":200", "\"max_completion_tokens\":200");
    }

    @Test
    void retriesAfterRateLimitingHonouringRetryAfter() {
        route(ProviderKind.OPENAI);
        primary.then(Behaviour.rateLimited(1));
        LlmResult result = generate();
        assertThat(outcomes(result)).containsExactly(RATE_LIMITED, ANSWERED);
        assertThat(result.target()).isEqualTo(Target.parse("primary:model-a"));
        assertThat(fixture.sleeps.waits()).as("waited for Retry-After").singleElement()
                .satisfies(wait -> assertThat(wait).isGreaterThanOrEqualTo(Duration.ofSeconds(1)));
    }

    @Test
    void failsOverAtOnceWhenRetryAfterIsLongerThanItWaits() {
        route(ProviderKind.ANTHROPIC);
        primary.always(Behaviour.rateLimited(60));
        LlmResult result = generate();
        assertThat(outcomes(result)).containsExactly(RATE_LIMITED, ANSWERED);
        assertThat(result.target()).isEqualTo(Target.parse("backup:model-b"));
        assertThat(fixture.sleeps.waits()).as("no wait at all").isEmpty();
    }

    @Test
    void failsOverOnResetsAndMalformedAnswers() {
        route(ProviderKind.OPENAI);
        primary.then(new Behaviour.Reset(), new Behaviour.Reset());
        assertThat(outcomes(generate())).containsExactly(CONNECTION_RESET, CONNECTION_RESET, ANSWERED);

        primary.always(new Behaviour.Malformed());
        LlmResult malformed = generate();
        assertThat(outcomes(malformed)).as("a malformed answer is not retried").containsExactly(MALFORMED_RESPONSE, ANSWERED);
        assertThat(malformed.target()).isEqualTo(Target.parse("backup:model-b"));
    }

    @Test
    void failsOverWhenTheConnectionIsRefused() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        route(ProviderKind.OPENAI, RouterFixture.provider(ProviderKind.OPENAI, "http://127.0.0.1:" + closedPort + "/v1",
                List.of(), Duration.ofSeconds(2), Duration.ofSeconds(5), 0));
        LlmResult result = generate();
        assertThat(outcomes(result)).containsExactly(CONNECT_FAILED, ANSWERED);
    }

    @Test
    void timesOutASlowAnswerAndASlowFirstToken() {
        route(ProviderKind.OLLAMA, RouterFixture.provider(ProviderKind.OLLAMA, primary.baseUrl(), List.of(),
                Duration.ofMillis(300), Duration.ofMillis(600), 0));
        primary.always(Behaviour.slow(ANSWER, Duration.ofSeconds(3)));
        LlmResult slow = generate();
        assertThat(outcomes(slow)).as("the router's own timeout ended the attempt, not the slow answer").containsExactly(TIMEOUT,
                ANSWERED);

        primary.always(Behaviour.slowFirstToken(ANSWER, Duration.ofSeconds(3)));
        Streamed streamed = stream();
        assertThat(outcomes(streamed.result())).containsExactly(TIMEOUT, ANSWERED);
        assertThat(streamed.deltas()).isEqualTo("Backup says Paris.");
    }

    @Test
    void theBreakerOpensAndRecoversThroughHalfOpen() {
        Map<String, LlmProperties.Provider> providers = new LinkedHashMap<>();
        providers.put("primary", RouterFixture.provider(ProviderKind.OPENAI, primary.baseUrl() + "/v1", List.of(),
                Duration.ofSeconds(2), Duration.ofSeconds(5), 0));
        providers.put("backup", RouterFixture.provider(ProviderKind.OPENAI, backup.baseUrl() + "/v1"));
        fixture = new RouterFixture(providers, "primary:model-a,backup:model-b",
                new LlmProperties.Breaker(50, 4, 4, Duration.ofMillis(500), 1));
        primary.always(Behaviour.serverError());
        for (int i = 0; i < 4; i++) {
            assertThat(outcomes(generate())).containsExactly(SERVER_ERROR, ANSWERED);
        }
        assertThat(fixture.breakerState("primary:model-a")).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(outcomes(generate())).as("an open breaker is not called").containsExactly(BREAKER_OPEN, ANSWERED);
        assertThat(primary.received()).hasSize(4);

        fixture.clock.advance(Duration.ofMillis(600));
        primary.always(Behaviour.reply(ANSWER));
        LlmResult trial = generate();
        assertThat(outcomes(trial)).containsExactly(ANSWERED);
        assertThat(trial.target()).isEqualTo(Target.parse("primary:model-a"));
        assertThat(fixture.breakerState("primary:model-a")).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(fixture.meters.find("resilience4j.circuitbreaker.state").tag("name", "primary:model-a").tag("state", "closed")
                .gauge().value()).isEqualTo(1.0);
    }

    @Test
    void skipsTargetsThatLackWhatTheRequestNeeds() {
        route(ProviderKind.OPENAI, RouterFixture.provider(ProviderKind.OPENAI, primary.baseUrl() + "/v1",
                List.of(new LlmProperties.Model("model-a", 50, false)), Duration.ofSeconds(2), Duration.ofSeconds(5), 1));
        LlmRequest needsTools = new LlmRequest(List.of(LlmMessage.user("Hi")), List.of(), null, null, true, "test");
        LlmResult tools = fixture.router.generate(fixture.router.defaultChain(), needsTools);
        assertThat(outcomes(tools)).containsExactly(SKIPPED_CAPABILITY, ANSWERED);
        assertThat(tools.target()).isEqualTo(Target.parse("backup:model-b"));

        LlmRequest large = LlmRequest.ofPrompt("word ".repeat(200), "test");
        assertThat(outcomes(fixture.router.generate(fixture.router.defaultChain(), large))).containsExactly(SKIPPED_CAPABILITY, ANSWERED);
        assertThat(primary.received()).isEmpty();

        assertThat(outcomes(fixture.router.generate(fixture.router.defaultChain(), LlmRequest.ofPrompt("Hi", "test"))))
                .as("a small request without tools fits").containsExactly(ANSWERED);
    }

    @Test
    void theLocalResponderAnswersWhenNothingIsConfigured() {
        fixture = new RouterFixture(Map.of(), "", RouterFixture.lenientBreaker());
        LlmResult result = fixture.router.generate(fixture.router.defaultChain(), LlmRequest.ofPrompt("What is the capital?", "test"));
        assertThat(result.target()).isEqualTo(Target.LOCAL_EXTRACTIVE);
        assertThat(result.fromModel()).isFalse();
        assertThat(result.content()).contains("no language model is configured");
        assertThat(result.failover()).isFalse();
        assertThat(fixture.tokensUsed).isEmpty();
    }

    @Test
    void theLocalResponderQuotesPassagesWhenEveryProviderFails() {
        route(ProviderKind.GEMINI);
        primary.always(Behaviour.serverError());
        backup.always(Behaviour.serverError());
        LlmRequest request = new LlmRequest(List.of(LlmMessage.user("What is the capital of France?")),
                List.of(new Passage("c1", "atlas.pdf, page 3", "The capital of France is Paris. It lies on the Seine.")),
                null, null, false, "test");
        List<String> deltas = new ArrayList<>();
        LlmResult result = fixture.router.stream(fixture.router.defaultChain(), request, deltas::add);
        assertThat(result.target()).isEqualTo(Target.LOCAL_EXTRACTIVE);
        assertThat(result.failover()).isTrue();
        assertThat(result.content()).contains("No language model produced this answer").contains("The capital of France is Paris.");
        assertThat(result.citations()).singleElement().satisfies(c -> assertThat(c.passageId()).isEqualTo("c1"));
        assertThat(deltas).containsExactly(result.content());
    }

    @Test
    void withNothingToQuoteAFailedChainIsAnErrorThatNamesNoProviderText() {
        route(ProviderKind.OPENAI);
        primary.always(Behaviour.serverError());
        backup.always(Behaviour.serverError());
        assertThatThrownBy(this::generate).isInstanceOfSatisfying(LlmUnavailableException.class, ex -> {
            assertThat(ex.getStatusCode().value()).isEqualTo(502);
            assertThat(ex.getBody().getDetail()).contains("primary:model-a server_error").doesNotContain("shard-7", "internal detail");
            assertThat(ex.attempts()).extracting(Attempt::outcome).containsOnly(SERVER_ERROR);
        });

        primary.always(Behaviour.slow(ANSWER, Duration.ofSeconds(3)));
        backup.always(Behaviour.slow(ANSWER, Duration.ofSeconds(3)));
        Map<String, LlmProperties.Provider> slow = Map.of("primary", RouterFixture.provider(ProviderKind.OPENAI,
                primary.baseUrl() + "/v1", List.of(), Duration.ofMillis(200), Duration.ofMillis(300), 0));
        fixture.close();
        fixture = new RouterFixture(slow, "primary:model-a", RouterFixture.lenientBreaker());
        assertThatThrownBy(this::generate).isInstanceOfSatisfying(LlmUnavailableException.class,
                ex -> assertThat(ex.getStatusCode().value()).isEqualTo(504));
    }

    @Test
    void anUnknownProviderIsPassedOver() {
        fixture = new RouterFixture(Map.of("backup", RouterFixture.provider(ProviderKind.OPENAI, backup.baseUrl() + "/v1")),
                "ghost:model,backup:model-b", RouterFixture.lenientBreaker());
        LlmResult result = generate();
        assertThat(outcomes(result)).containsExactly(AttemptOutcome.UNKNOWN_PROVIDER, ANSWERED);
        // A provider that does not exist gets no series of its own: any chain could name one.
        assertThat(fixture.meters.find("switchboard.llm.failovers").tag("from", "unknown").tag("to", "backup:model-b")
                .counter().count()).isEqualTo(1.0);
        assertThat(fixture.meters.getMeters()).noneMatch(meter -> meter.getId().getTags().toString().contains("ghost"));
    }
}
