package dev.switchboard.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.openai.client.OpenAIClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.models.Model;
import dev.switchboard.fakellm.Behaviour;
import dev.switchboard.fakellm.FakeLlmServer;
import dev.switchboard.support.Accounts.Session;
import dev.switchboard.support.ApiTestSupport;
import dev.switchboard.support.HttpTestClient;
import dev.switchboard.support.IntegrationTest;
import dev.switchboard.support.OpenAiSdk;
import tools.jackson.databind.JsonNode;

/** The OpenAI-compatible API driven by the official OpenAI Java SDK, unchanged but for its base URL and key. */
@IntegrationTest
class OpenAiCompatibleIntegrationTests extends ApiTestSupport {

    static final FakeLlmServer PROVIDER = FakeLlmServer.start();

    Session admin;
    OpenAIClient openai;

    @DynamicPropertySource
    static void providers(DynamicPropertyRegistry registry) {
        registry.add("switchboard.llm.providers.ollama.kind", () -> "ollama");
        registry.add("switchboard.llm.providers.ollama.base-url", PROVIDER::baseUrl);
        registry.add("switchboard.llm.default-chain", () -> "ollama:llama-test");
        registry.add("switchboard.metering.tiers.tiny.requests-per-minute", () -> "1000");
        registry.add("switchboard.metering.tiers.tiny.tokens-per-day", () -> "50");
        registry.add("switchboard.metering.tiers.slow.requests-per-minute", () -> "1");
    }

    @AfterAll
    static void stop() {
        PROVIDER.close();
    }

    @BeforeEach
    void setUp() {
        PROVIDER.reset().always(Behaviour.reply("Hello from the persona."));
        admin = accounts.newTenantAdmin();
        accounts.send(admin, "POST", "/api/personas", "{\"slug\":\"support\",\"name\":\"Support\",\"instructions\":\"Be kind.\"}");
        openai = client(key(admin, null));
    }

    @AfterEach
    void close() {
        openai.close();
    }

    String key(Session session, String tier) {
        return accounts.apiKey(session, "{\"name\":\"sdk\"" + (tier == null ? "" : ",\"tier\":\"" + tier + "\"") + "}");
    }

    OpenAIClient client(String apiKey) {
        return OpenAiSdk.client(port, apiKey);
    }

    ChatCompletionCreateParams params(String model) {
        return ChatCompletionCreateParams.builder().model(model).addSystemMessage("Answer in English.")
                .addUserMessage("Say hello").temperature(0.1).maxCompletionTokens(64L).user("end-user-7").build();
    }

    @Test
    void listsPersonasAsModelsThenTheEmbeddingModel() {
        List<String> models = openai.models().list().data().stream().map(Model::id).toList();
        assertThat(models).containsExactly("support", "bge-small-en-v1.5-q");
    }

    @Test
    void completesWithThePersonaInstructionsFirstAndReportsUsage() {
        ChatCompletion completion = openai.chat().completions().create(params("support"));
        assertThat(completion.choices().getFirst().message().content()).hasValue("Hello from the persona.");
        assertThat(completion.model()).isEqualTo("support");
        assertThat(completion.usage().orElseThrow().completionTokens()).isEqualTo(4);
        JsonNode sent = PROVIDER.received().getLast().body();
        assertThat(sent.path("messages").findValuesAsString("content")).containsExactly("Be kind.", "Answer in English.", "Say hello");
        assertThat(sent.path("options").path("temperature").asDouble()).isEqualTo(0.1);
        assertThat(sent.path("options").path("num_predict").asInt()).isEqualTo(64);
    }

    @Test
    void streamsChunksTheSdkUnderstands() {
        PROVIDER.always(Behaviour.reply("One two three four."));
        ChatCompletionCreateParams params = params("support").toBuilder()
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = openai.chat().completions().createStreaming(params)) {
            stream.stream().forEach(chunks::add);
        }
        String text = chunks.stream().flatMap(c -> c.choices().stream()).map(c -> c.delta().content().orElse(""))
                .collect(Collectors.joining());
        assertThat(text).isEqualTo("One two three four.");
        assertThat(chunks.stream().flatMap(c -> c.choices().stream()).filter(c -> c.finishReason().isPresent()).count()).isEqualTo(1);
        assertThat(chunks.getLast().usage().orElseThrow().completionTokens()).isEqualTo(4);
    }

    @Test
    void errorsAreOpenAiErrors() {
        assertThatThrownBy(() -> openai.chat().completions().create(params("no-such-persona")))
                .isInstanceOfSatisfying(NotFoundException.class, ex -> {
                    assertThat(ex.statusCode()).isEqualTo(404);
                    assertThat(ex.code()).hasValue("model_not_found");
                });
        OpenAIClient wrong = client("sb_wrongwrongwrongwrongwrongwrongwrongwrongwro");
        assertThatThrownBy(() -> wrong.chat().completions().create(params("support"))).isInstanceOf(UnauthorizedException.class);
        wrong.close();
        OpenAIClient tiny = client(key(admin, "tiny"));
        assertThatThrownBy(() -> tiny.chat().completions().create(params("support")))
                .isInstanceOfSatisfying(RateLimitException.class, ex -> assertThat(ex.code()).hasValue("token_quota_exceeded"));
        tiny.close();
        OpenAIClient slow = client(key(admin, "slow"));
        slow.chat().completions().create(params("support"));
        assertThatThrownBy(() -> slow.chat().completions().create(params("support")))
                .isInstanceOfSatisfying(RateLimitException.class, ex -> {
                    assertThat(ex.code()).hasValue("rate_limit_exceeded");
                    assertThat(ex.headers().values("Retry-After")).isNotEmpty();
                });
        slow.close();
        HttpResponse<String> raw = http.send(http.request("/v1/chat/completions").header("Authorization", admin.bearer())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"support\",\"messages\":[]}")).build());
        assertThat(raw.statusCode()).isEqualTo(400);
        assertThat(raw.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
        JsonNode error = HttpTestClient.json(raw).path("error");
        assertThat(error.path("type").asString()).isEqualTo("invalid_request_error");
        assertThat(error.path("message").asString()).contains("messages");

        HttpResponse<String> malformed = http.send(http.request("/v1/chat/completions").header("Authorization", admin.bearer())
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"model\":")).build());
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(malformed.headers().firstValue("Content-Type").orElseThrow()).as("OpenAI's dialect, also for framework errors")
                .startsWith("application/json");
        assertThat(HttpTestClient.json(malformed).path("error").path("code").asString()).isEqualTo("malformed_body");
    }

    @Test
    void providerFailuresAreServerErrorsWithoutProviderText() {
        PROVIDER.always(Behaviour.serverError());
        HttpResponse<String> raw = http.send(http.request("/v1/chat/completions").header("Authorization", admin.bearer())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"support\",\"messages\":[{\"role\":\"user\","
                        + "\"content\":\"hi\"}]}")).build());
        assertThat(raw.statusCode()).isEqualTo(502);
        assertThat(HttpTestClient.json(raw).path("error").path("type").asString()).isEqualTo("server_error");
        assertThat(raw.body()).doesNotContain("shard-7");
    }
}
