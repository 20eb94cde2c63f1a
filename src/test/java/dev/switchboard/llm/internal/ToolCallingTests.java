package dev.switchboard.llm.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.switchboard.fakellm.Behaviour;
import dev.switchboard.fakellm.FakeLlmServer;
import dev.switchboard.llm.Attempt;
import dev.switchboard.llm.AttemptOutcome;
import dev.switchboard.llm.LlmMessage;
import dev.switchboard.llm.LlmRequest;
import dev.switchboard.llm.LlmResult;
import dev.switchboard.llm.LlmTool;
import dev.switchboard.llm.NoToolCapableTargetException;
import dev.switchboard.llm.Target;
import dev.switchboard.llm.ToolCall;
import dev.switchboard.llm.internal.provider.ProviderKind;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tool calling through the router against real HTTP: each provider kind's Spring AI client sends the tools and
 * the tool results in its own wire format to the fake provider, which asks for tool calls as the real APIs do.
 */
class ToolCallingTests {

    static final JsonMapper JSON = JsonMapper.builder().build();

    static final LlmTool WEATHER = new LlmTool("get_weather", "The current weather of a city.",
            "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}");

    static final String ARGUMENTS = "{\"city\":\"Paris\",\"unit\":\"celsius\"}";

    final FakeLlmServer primary = new FakeLlmServer();
    final FakeLlmServer backup = new FakeLlmServer();
    RouterFixture fixture;

    ToolCallingTests() throws IOException {
        primary.always(Behaviour.callTool("call_abc", "get_weather", ARGUMENTS));
        backup.always(Behaviour.callTool("call_backup", "get_weather", "{\"city\":\"Lyon\"}"));
    }

    @AfterEach
    void stop() {
        primary.close();
        backup.close();
        if (fixture != null) {
            fixture.close();
        }
    }

    void route(ProviderKind kind, List<LlmProperties.Model> primaryModels) {
        Map<String, LlmProperties.Provider> providers = new LinkedHashMap<>();
        // Generous timeouts: no test here is about them, and a loaded machine must not turn one into a failover.
        providers.put("primary", RouterFixture.provider(kind, RouterFixture.baseUrl(kind, primary.baseUrl()), primaryModels,
                Duration.ofSeconds(20), Duration.ofSeconds(30), 0));
        providers.put("backup", RouterFixture.provider(kind, RouterFixture.baseUrl(kind, backup.baseUrl())));
        fixture = new RouterFixture(providers, "primary:model-a,backup:model-b", RouterFixture.lenientBreaker());
    }

    static LlmRequest askWeather() {
        return LlmRequest.withTools(List.of(LlmMessage.system("Use tools."), LlmMessage.user("Weather in Paris?")),
                List.of(WEATHER), "test");
    }

    static JsonNode json(String text) {
        return JSON.readTree(text);
    }

    static List<AttemptOutcome> outcomes(LlmResult result) {
        return result.attempts().stream().map(Attempt::outcome).toList();
    }

    @ParameterizedTest
    @EnumSource(ProviderKind.class)
    void everyKindSendsTheToolsAndReturnsTheModelsCall(ProviderKind kind) {
        route(kind, List.of());
        LlmResult result = fixture.router.generate(fixture.router.defaultChain(), askWeather());

        assertThat(result.wantsTools()).isTrue();
        assertThat(result.toolCalls()).singleElement().satisfies(call -> {
            assertThat(call.name()).isEqualTo("get_weather");
            assertThat(json(call.arguments())).isEqualTo(json(ARGUMENTS));
            assertThat(call.id()).isNotBlank();
        });
        assertThat(result.target()).isEqualTo(Target.parse("primary:model-a"));
        JsonNode sent = primary.received().getLast().body();
        JsonNode tool = switch (kind) {
            case OPENAI -> sent.path("tools").get(0).path("function");
            case ANTHROPIC -> sent.path("tools").get(0);
            case GEMINI -> sent.path("tools").get(0).path("functionDeclarations").get(0);
            case OLLAMA -> sent.path("tools").get(0).path("function");
        };
        assertThat(tool.path("name").asString()).isEqualTo("get_weather");
        assertThat(tool.path("description").asString()).isEqualTo("The current weather of a city.");
        assertThat(tool.toString()).contains("city");
    }

    @ParameterizedTest
    @EnumSource(ProviderKind.class)
    void everyKindSendsTheToolResultInItsWireFormat(ProviderKind kind) {
        route(kind, List.of());
        primary.always(Behaviour.reply("It is 21 degrees in Paris."));
        ToolCall call = new ToolCall("call_abc", "get_weather", ARGUMENTS);
        LlmRequest followUp = LlmRequest.withTools(List.of(LlmMessage.user("Weather in Paris?"),
                LlmMessage.toolCalls("", List.of(call)), LlmMessage.toolResult(call, "{\"celsius\":21}")),
                List.of(WEATHER), "test");

        LlmResult result = fixture.router.generate(fixture.router.defaultChain(), followUp);

        assertThat(result.content()).isEqualTo("It is 21 degrees in Paris.");
        assertThat(result.wantsTools()).isFalse();
        JsonNode sent = primary.received().getLast().body();
        switch (kind) {
            case OPENAI -> {
                JsonNode asked = sent.path("messages").get(1);
                assertThat(asked.path("role").asString()).isEqualTo("assistant");
                assertThat(asked.path("tool_calls").get(0).path("id").asString()).isEqualTo("call_abc");
                assertThat(asked.path("tool_calls").get(0).path("function").path("name").asString()).isEqualTo("get_weather");
                assertThat(json(asked.path("tool_calls").get(0).path("function").path("arguments").asString()))
                        .isEqualTo(json(ARGUMENTS));
                JsonNode answered = sent.path("messages").get(2);
                assertThat(answered.path("role").asString()).isEqualTo("tool");
                assertThat(answered.path("tool_call_id").asString()).isEqualTo("call_abc");
                assertThat(answered.path("content").toString()).contains("celsius");
            }
            case ANTHROPIC -> {
                JsonNode asked = sent.path("messages").get(1);
                assertThat(asked.path("role").asString()).isEqualTo("assistant");
                JsonNode use = single(asked.path("content"), "tool_use");
                assertThat(asked.path("content").valueStream().filter(block -> "text".equals(block.path("type").asString())))
                        .as("Anthropic refuses empty text blocks").allSatisfy(block -> assertThat(block.path("text").asString())
                                .isNotEmpty());
                assertThat(use.path("id").asString()).isEqualTo("call_abc");
                assertThat(use.path("name").asString()).isEqualTo("get_weather");
                assertThat(use.path("input")).isEqualTo(json(ARGUMENTS));
                JsonNode answered = sent.path("messages").get(2);
                assertThat(answered.path("role").asString()).isEqualTo("user");
                JsonNode toolResult = single(answered.path("content"), "tool_result");
                assertThat(toolResult.path("tool_use_id").asString()).isEqualTo("call_abc");
                assertThat(toolResult.path("content").toString()).contains("celsius");
            }
            case GEMINI -> {
                JsonNode asked = sent.path("contents").get(1);
                assertThat(asked.path("role").asString()).isEqualTo("model");
                assertThat(asked.path("parts").get(0).path("functionCall").path("name").asString()).isEqualTo("get_weather");
                assertThat(asked.path("parts").get(0).path("functionCall").path("args")).isEqualTo(json(ARGUMENTS));
                JsonNode response = sent.path("contents").get(2).path("parts").get(0).path("functionResponse");
                assertThat(response.path("name").asString()).isEqualTo("get_weather");
                assertThat(response.path("response").toString()).contains("celsius");
            }
            case OLLAMA -> {
                JsonNode asked = sent.path("messages").get(1);
                assertThat(asked.path("role").asString()).isEqualTo("assistant");
                assertThat(asked.path("tool_calls").get(0).path("function").path("name").asString()).isEqualTo("get_weather");
                assertThat(asked.path("tool_calls").get(0).path("function").path("arguments")).isEqualTo(json(ARGUMENTS));
                JsonNode answered = sent.path("messages").get(2);
                assertThat(answered.path("role").asString()).isEqualTo("tool");
                assertThat(answered.path("content").asString()).contains("celsius");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ProviderKind.class)
    void everyKindTakesBackTheCallsItReturnedWithTheirProviderState(ProviderKind kind) {
        route(kind, List.of());
        LlmResult asked = fixture.router.stream(fixture.router.defaultChain(), askWeather(), delta -> {});
        ToolCall call = asked.toolCalls().getFirst();
        primary.always(Behaviour.reply("Sunny."));

        LlmResult answered = fixture.router.generate(fixture.router.defaultChain(), LlmRequest.withTools(List.of(
                LlmMessage.user("Weather in Paris?"), LlmMessage.toolCalls("", asked.toolCalls()),
                LlmMessage.toolResult(call, "{\"sky\":\"clear\"}")), List.of(WEATHER), "test"));

        assertThat(answered.content()).isEqualTo("Sunny.");
        String sent = primary.received().getLast().body().toString();
        assertThat(sent).contains("clear").contains("get_weather");
        if (kind == ProviderKind.GEMINI) {
            String signature = java.util.Base64.getEncoder().encodeToString("sig-call_abc".getBytes());
            assertThat(call.signature()).isEqualTo(signature);
            assertThat(primary.received().getLast().body().path("contents").get(1).path("parts").get(0)
                    .path("thoughtSignature").asString()).as("Gemini's thought signature goes back with its call").isEqualTo(signature);
        }
        else {
            assertThat(call.signature()).isNull();
            assertThat(sent).contains(call.id());
        }
    }

    private static JsonNode single(JsonNode blocks, String type) {
        List<JsonNode> matching = blocks.valueStream().filter(block -> type.equals(block.path("type").asString())).toList();
        assertThat(matching).as(type + " blocks in " + blocks).hasSize(1);
        return matching.getFirst();
    }

    @ParameterizedTest
    @EnumSource(ProviderKind.class)
    void everyKindStreamsAToolCallAssembledFromItsDeltas(ProviderKind kind) {
        route(kind, List.of());
        StringBuilder deltas = new StringBuilder();
        LlmResult result = fixture.router.stream(fixture.router.defaultChain(), askWeather(), deltas::append);

        assertThat(result.complete()).isTrue();
        assertThat(outcomes(result)).containsExactly(AttemptOutcome.ANSWERED);
        assertThat(result.toolCalls()).singleElement().satisfies(call -> {
            assertThat(call.name()).isEqualTo("get_weather");
            assertThat(json(call.arguments())).isEqualTo(json(ARGUMENTS));
        });
        assertThat(deltas.toString()).isEmpty();
        assertThat(primary.received().getLast().body().path("tools")).isNotEmpty();
    }

    @ParameterizedTest
    @EnumSource(ProviderKind.class)
    void everyKindStreamsSeveralToolCallsApart(ProviderKind kind) {
        route(kind, List.of());
        primary.always(new Behaviour.CallTools(List.of(
                new Behaviour.FakeToolCall("call_1", "get_weather", "{\"city\":\"Paris\"}"),
                new Behaviour.FakeToolCall("call_2", "get_weather", "{\"city\":\"Rome\"}")), Duration.ZERO));
        LlmResult result = fixture.router.stream(fixture.router.defaultChain(), askWeather(), delta -> {});

        assertThat(result.toolCalls()).extracting(call -> json(call.arguments()).path("city").asString())
                .containsExactly("Paris", "Rome");
        assertThat(result.toolCalls()).extracting(ToolCall::id).doesNotHaveDuplicates();
    }

    @ParameterizedTest
    @EnumSource(ProviderKind.class)
    void everyKindFailsOverWhenAStreamBreaksBeforeItsFirstToolCall(ProviderKind kind) {
        route(kind, List.of());
        primary.always(new Behaviour.CutBeforeFirstToken());
        LlmResult result = fixture.router.stream(fixture.router.defaultChain(), askWeather(), delta -> {});

        assertThat(result.target()).isEqualTo(Target.parse("backup:model-b"));
        assertThat(result.failover()).isTrue();
        assertThat(result.toolCalls()).singleElement()
                .satisfies(call -> assertThat(json(call.arguments()).path("city").asString()).isEqualTo("Lyon"));
        assertThat(outcomes(result).getLast()).isEqualTo(AttemptOutcome.ANSWERED);
    }

    @ParameterizedTest
    @EnumSource(ProviderKind.class)
    void everyKindNeverReturnsHalfAToolCallWhenAStreamBreaksInIt(ProviderKind kind) {
        route(kind, List.of());
        primary.always(new Behaviour.CutAfterFirstToolCall(new Behaviour.FakeToolCall("call_abc", "get_weather", ARGUMENTS)));
        LlmResult result = fixture.router.stream(fixture.router.defaultChain(), askWeather(), delta -> {});

        if (kind == ProviderKind.ANTHROPIC) {
            // Spring AI's Anthropic client hands a tool_use block over only when it ends: nothing of the broken
            // call reached the router, so it fails over like a stream cut before its first token.
            assertThat(result.target()).isEqualTo(Target.parse("backup:model-b"));
            assertThat(result.toolCalls()).singleElement().extracting(ToolCall::id).isEqualTo("call_backup");
            return;
        }
        assertThat(result.toolCalls()).as("no half call is returned").isEmpty();
        assertThat(result.complete()).isFalse();
        assertThat(result.target()).isEqualTo(Target.parse("primary:model-a"));
        assertThat(outcomes(result)).containsExactly(AttemptOutcome.STREAM_INTERRUPTED);
        assertThat(backup.received()).as("no failover after the first tool call").isEmpty();
    }

    @ParameterizedTest
    @EnumSource(ProviderKind.class)
    void everyKindTakesAPlainTextToolResult(ProviderKind kind) {
        route(kind, List.of());
        primary.always(Behaviour.reply("Mild."));
        ToolCall call = new ToolCall("call_abc", "get_weather", ARGUMENTS);
        LlmRequest followUp = LlmRequest.withTools(List.of(LlmMessage.user("Weather in Paris?"),
                LlmMessage.toolCalls("Let me look.", List.of(call)), LlmMessage.toolResult(call, "21 degrees, \"sunny\"")),
                List.of(WEATHER), "test");

        LlmResult result = fixture.router.generate(fixture.router.defaultChain(), followUp);

        assertThat(result.content()).isEqualTo("Mild.");
        assertThat(outcomes(result)).containsExactly(AttemptOutcome.ANSWERED);
        assertThat(primary.received().getLast().body().toString()).contains("21 degrees");
    }

    @ParameterizedTest
    @EnumSource(ProviderKind.class)
    void everyKindFailsOverOnAServerErrorBeforeTheToolCall(ProviderKind kind) {
        route(kind, List.of());
        primary.always(Behaviour.serverError());
        LlmResult result = fixture.router.generate(fixture.router.defaultChain(), askWeather());

        assertThat(result.target()).isEqualTo(Target.parse("backup:model-b"));
        assertThat(outcomes(result)).containsExactly(AttemptOutcome.SERVER_ERROR, AttemptOutcome.ANSWERED);
        assertThat(result.toolCalls()).singleElement().extracting(ToolCall::name).isEqualTo("get_weather");
    }

    @Test
    void aTargetWithoutToolsIsSkippedForOneThatHasThem() {
        route(ProviderKind.OPENAI, List.of(new LlmProperties.Model("model-a", null, false)));
        LlmResult result = fixture.router.generate(fixture.router.defaultChain(), askWeather());

        assertThat(outcomes(result)).containsExactly(AttemptOutcome.SKIPPED_CAPABILITY, AttemptOutcome.ANSWERED);
        assertThat(result.target()).isEqualTo(Target.parse("backup:model-b"));
        assertThat(primary.received()).isEmpty();
    }

    @Test
    void aChainWithoutAToolCapableTargetSaysSoAndCallsNobody() {
        route(ProviderKind.OPENAI, List.of(new LlmProperties.Model("model-a", null, false)));
        Map<String, LlmProperties.Provider> providers = new LinkedHashMap<>();
        providers.put("primary", RouterFixture.provider(ProviderKind.OPENAI, RouterFixture.baseUrl(ProviderKind.OPENAI,
                primary.baseUrl()), List.of(new LlmProperties.Model("model-a", null, false)), Duration.ofSeconds(2),
                Duration.ofSeconds(5), 0));
        fixture.close();
        fixture = new RouterFixture(providers, "primary:model-a,local:extractive", RouterFixture.lenientBreaker());

        assertThatThrownBy(() -> fixture.router.generate(fixture.router.defaultChain(), askWeather()))
                .isInstanceOfSatisfying(NoToolCapableTargetException.class, problem -> {
                    assertThat(problem.getStatusCode().value()).isEqualTo(422);
                    assertThat(problem.getBody().getDetail()).contains("supports tool calling")
                            .contains("primary:model-a");
                });
        assertThat(primary.received()).isEmpty();
    }

    @Test
    void theSameChainStillAnswersARequestWithoutTools() {
        route(ProviderKind.OPENAI, List.of(new LlmProperties.Model("model-a", null, false)));
        primary.always(Behaviour.reply("Plain answer."));
        backup.always(Behaviour.reply("Plain answer."));
        LlmResult result = fixture.router.generate(fixture.router.defaultChain(),
                LlmRequest.ofPrompt("Weather in Paris?", "test"));

        assertThat(result.content()).isEqualTo("Plain answer.");
        assertThat(outcomes(result)).doesNotContain(AttemptOutcome.SKIPPED_CAPABILITY);
        FakeLlmServer answering = result.target().equals(Target.parse("primary:model-a")) ? primary : backup;
        assertThat(answering.received().getLast().body().has("tools")).isFalse();
    }
}
