package dev.switchboard.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionNamedToolChoice;
import com.openai.models.chat.completions.ChatCompletionToolChoiceOption;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import dev.switchboard.fakellm.Behaviour;
import dev.switchboard.fakellm.FakeLlmServer;
import dev.switchboard.support.Accounts.Session;
import dev.switchboard.support.ApiTestSupport;
import dev.switchboard.support.HttpTestClient;
import dev.switchboard.support.IntegrationTest;
import dev.switchboard.support.OpenAiSdk;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An OpenAI SDK client running its own tools through a persona on {@code /v1/chat/completions}: the model's calls come
 * back as {@code tool_calls} (whole and streamed), the client's results go on to the model in each provider kind's wire
 * format, bad tool definitions are 400s naming the {@code param}, and the persona's own tools never mix with the
 * client's.
 */
@IntegrationTest
class OpenAiToolsIntegrationTests extends ApiTestSupport {

    /** The provider kinds behind the persona's chain, each with its own fake. */
    enum Kind {
        OPENAI("openai", "oa:gpt-tools"), ANTHROPIC("anthropic", "an:claude-tools"), GEMINI("gemini", "ge:gemini-tools"),
        OLLAMA("ollama", "ol:llama-tools");

        final String id;
        final String chain;
        final FakeLlmServer fake = FakeLlmServer.start();

        Kind(String id, String chain) {
            this.id = id;
            this.chain = chain;
        }

        String baseUrl() {
            return this == OPENAI ? fake.baseUrl() + "/v1" : fake.baseUrl();
        }

        String provider() {
            return chain.substring(0, chain.indexOf(':'));
        }
    }

    static final JsonMapper JSON = JsonMapper.builder().build();

    static final String WEATHER_ARGUMENTS = "{\"city\":\"Oslo\"}";

    @DynamicPropertySource
    static void providers(DynamicPropertyRegistry registry) {
        for (Kind kind : Kind.values()) {
            String prefix = "switchboard.llm.providers." + kind.provider() + ".";
            registry.add(prefix + "kind", () -> kind.id);
            registry.add(prefix + "base-url", kind::baseUrl);
            registry.add(prefix + "api-key", () -> "test-key");
            registry.add(prefix + "max-retries", () -> "0");
        }
        registry.add("switchboard.llm.default-chain", () -> "oa:gpt-tools");
        registry.add("switchboard.llm.breaker.minimum-calls", () -> "100000");
    }

    Session admin;
    OpenAIClient openai;

    @AfterAll
    static void stop() {
        for (Kind kind : Kind.values()) {
            kind.fake.close();
        }
    }

    @BeforeEach
    void setUp() {
        for (Kind kind : Kind.values()) {
            kind.fake.reset().always(Behaviour.reply("Plain answer."));
        }
        admin = accounts.newTenantAdmin();
        openai = OpenAiSdk.client(port, accounts.apiKey(admin, "{\"name\":\"sdk\"}"));
    }

    @AfterEach
    void close() {
        openai.close();
    }

    void persona(String slug, String chain, String tools) {
        HttpResponse<String> created = accounts.send(admin, "POST", "/api/personas", "{\"slug\":\"" + slug + "\",\"name\":\"" + slug
                + "\",\"instructions\":\"You are " + slug + ".\",\"chain\":\"" + chain + "\",\"allowedTools\":[" + tools + "]}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    }

    static FunctionDefinition weather() {
        return FunctionDefinition.builder().name("get_weather").description("The weather in a city now.")
                .parameters(FunctionParameters.builder().putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                        .putAdditionalProperty("required", JsonValue.from(List.of("city"))).build())
                .build();
    }

    static ChatCompletionCreateParams.Builder ask(String model) {
        return ChatCompletionCreateParams.builder().model(model).addUserMessage("What is the weather in Oslo?")
                .addFunctionTool(weather());
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void theClientRunsItsToolAndTheModelAnswersFromItsResult(Kind kind) {
        persona("forecaster", kind.chain, "\"search_knowledge\"");
        kind.fake.then(Behaviour.callTool("call_1", "get_weather", WEATHER_ARGUMENTS), Behaviour.reply("It is 18 degrees in Oslo."));

        ChatCompletion first = openai.chat().completions().create(ask("forecaster").build());

        ChatCompletion.Choice choice = first.choices().getFirst();
        assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        ChatCompletionMessageFunctionToolCall call = choice.message().toolCalls().orElseThrow().getFirst().asFunction();
        assertThat(call.function().name()).isEqualTo("get_weather");
        assertThat(json(call.function().arguments()).path("city").asString()).isEqualTo("Oslo");
        String offered = kind.fake.received().getFirst().body().toString();
        assertThat(offered).as("the client's tool is offered, the persona's is not").contains("get_weather", "city")
                .doesNotContain("search_knowledge");

        ChatCompletion answer = openai.chat().completions().create(ask("forecaster")
                .addMessage(choice.message())
                .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(call.id()).content("18 degrees, light rain").build())
                .build());

        assertThat(answer.choices().getFirst().message().content()).hasValue("It is 18 degrees in Oslo.");
        assertThat(answer.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertThat(answer.usage().orElseThrow().totalTokens()).isPositive();
        List<FakeLlmServer.Received> received = kind.fake.received();
        assertThat(received).as("Switchboard ran no tool of its own: one model call per request").hasSize(2);
        assertThat(received.get(1).body().toString()).contains("18 degrees, light rain", "get_weather");
        if (kind == Kind.GEMINI) {
            String signature = Base64.getEncoder().encodeToString("sig-call_1".getBytes());
            assertThat(received.get(1).body().toString()).as("Gemini's signature came back through the client")
                    .contains(signature);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void streamedToolCallsAssembleInTheSdksAccumulator(Kind kind) {
        persona("streamer", kind.chain, "");
        kind.fake.then(new Behaviour.CallTools(List.of(new Behaviour.FakeToolCall("call_a", "get_weather", WEATHER_ARGUMENTS),
                new Behaviour.FakeToolCall("call_b", "get_weather", "{\"city\":\"Bergen\"}")), Duration.ZERO));

        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
        try (StreamResponse<ChatCompletionChunk> stream = openai.chat().completions().createStreaming(ask("streamer").build())) {
            stream.stream().forEach(accumulator::accumulate);
        }

        ChatCompletion.Choice choice = accumulator.chatCompletion().choices().getFirst();
        assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        List<ChatCompletionMessageFunctionToolCall> calls = choice.message().toolCalls().orElseThrow().stream()
                .map(c -> c.asFunction()).toList();
        assertThat(calls).extracting(c -> c.function().name()).containsExactly("get_weather", "get_weather");
        assertThat(calls).extracting(c -> json(c.function().arguments()).path("city").asString())
                .containsExactly("Oslo", "Bergen");
        assertThat(calls).extracting(ChatCompletionMessageFunctionToolCall::id).doesNotHaveDuplicates().allMatch(id -> !id.isBlank());
    }

    @Test
    void withoutToolsThePersonasOwnToolsRunInsideSwitchboard() {
        persona("librarian", Kind.OPENAI.chain, "\"search_knowledge\"");
        Kind.OPENAI.fake.then(Behaviour.callTool("call_s", "search_knowledge", "{\"query\":\"holiday\"}"),
                Behaviour.reply("Nothing in the handbook."));

        ChatCompletion answer = openai.chat().completions().create(ChatCompletionCreateParams.builder().model("librarian")
                .addUserMessage("How many holidays?").build());

        assertThat(answer.choices().getFirst().message().content()).hasValue("Nothing in the handbook.");
        assertThat(answer.choices().getFirst().message().toolCalls()).isEmpty();
        List<FakeLlmServer.Received> received = Kind.OPENAI.fake.received();
        assertThat(received).hasSize(2);
        assertThat(received.getFirst().body().toString()).contains("search_knowledge");
        assertThat(received.get(1).body().toString()).contains("untrusted data");
    }

    @Test
    void toolChoiceNoneOffersNothingAndANamedFunctionOffersOnlyThatOne() {
        persona("chooser", Kind.OPENAI.chain, "");
        FunctionDefinition time = FunctionDefinition.builder().name("get_time").build();

        openai.chat().completions().create(ask("chooser").addFunctionTool(time).toolChoice(ChatCompletionToolChoiceOption.Auto.NONE)
                .build());
        JsonNode none = Kind.OPENAI.fake.received().getLast().body();
        assertThat(none.path("tools").isMissingNode() || none.path("tools").isEmpty()).as(none.toString()).isTrue();

        openai.chat().completions().create(ask("chooser").addFunctionTool(time).toolChoice(ChatCompletionNamedToolChoice.builder()
                .function(ChatCompletionNamedToolChoice.Function.builder().name("get_time").build()).build()).build());
        JsonNode named = Kind.OPENAI.fake.received().getLast().body();
        assertThat(named.path("tools").findValuesAsString("name")).containsExactly("get_time");
        assertThat(named.toString()).contains("Call the tool get_time now");
    }

    @Test
    void badToolsAreOpenAiErrorsNamingTheParameter() {
        persona("strict", Kind.OPENAI.chain, "");
        assertThatThrownBy(() -> openai.chat().completions().create(ChatCompletionCreateParams.builder().model("strict")
                .addUserMessage("hi").addFunctionTool(FunctionDefinition.builder().name("get weather!").build()).build()))
                .isInstanceOfSatisfying(BadRequestException.class, ex -> {
                    assertThat(ex.param()).hasValue("tools[0].function.name");
                    assertThat(ex.getMessage()).contains("1 to 64 letters");
                });
        assertThatThrownBy(() -> openai.chat().completions().create(ask("strict").toolChoice(ChatCompletionNamedToolChoice.builder()
                .function(ChatCompletionNamedToolChoice.Function.builder().name("launch").build()).build()).build()))
                .isInstanceOfSatisfying(BadRequestException.class, ex -> assertThat(ex.param()).hasValue("tool_choice.function.name"));

        assertThat(rejected("{\"model\":\"strict\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"tools\":[{\"type\":"
                + "\"function\",\"function\":{\"name\":\"f\",\"parameters\":{\"type\":\"string\"}}}]}"))
                .isEqualTo("tools[0].function.parameters");
        assertThat(rejected("{\"model\":\"strict\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"tools\":[{\"type\":"
                + "\"custom\",\"custom\":{\"name\":\"f\"}}]}")).isEqualTo("tools[0].type");
        StringBuilder many = new StringBuilder();
        for (int i = 0; i <= 128; i++) {
            many.append(i == 0 ? "" : ",").append("{\"type\":\"function\",\"function\":{\"name\":\"f").append(i).append("\"}}");
        }
        assertThat(rejected("{\"model\":\"strict\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"tools\":[" + many + "]}"))
                .isEqualTo("tools");
        assertThat(rejected("{\"model\":\"strict\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},{\"role\":\"tool\","
                + "\"tool_call_id\":\"call_nowhere\",\"content\":\"42\"}]}")).isEqualTo("messages[1].tool_call_id");
        assertThat(Kind.OPENAI.fake.received()).as("nothing reached the model").isEmpty();
    }

    @Test
    void aChainWithNoToolCapableTargetSaysSoAndCallsNoModel() {
        persona("quoter", "local:extractive", "");
        HttpResponse<String> response = http.send(http.request("/v1/chat/completions").header("Authorization", admin.bearer())
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"quoter\","
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"What is the weather in Oslo?\"}],\"tools\":[{\"type\":"
                        + "\"function\",\"function\":{\"name\":\"get_weather\"}}]}"))
                .build());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
        JsonNode error = HttpTestClient.json(response).path("error");
        assertThat(error.path("message").asString()).contains("supports tool calling");
        for (Kind kind : Kind.values()) {
            assertThat(kind.fake.received()).as("no model was called").isEmpty();
        }
    }

    /** Sends a raw request the SDK would not build; returns the 400's {@code param}. */
    String rejected(String body) {
        HttpResponse<String> response = http.send(http.request("/v1/chat/completions").header("Authorization", admin.bearer())
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        JsonNode error = HttpTestClient.json(response).path("error");
        assertThat(error.path("type").asString()).isEqualTo("invalid_request_error");
        assertThat(error.path("message").asString()).isNotBlank();
        return error.path("param").asString();
    }

    static JsonNode json(String text) {
        return JSON.readTree(text);
    }
}
