package dev.switchboard.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.openai.client.OpenAIClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import dev.switchboard.fakellm.Behaviour;
import dev.switchboard.fakellm.FakeLlmServer;
import dev.switchboard.support.Accounts.Session;
import dev.switchboard.support.ApiTestSupport;
import dev.switchboard.support.IntegrationTest;
import dev.switchboard.support.OpenAiSdk;

/**
 * {@code /v1/chat/completions} to OpenAI-kind providers, whose plain (tool-free) calls go over the router's direct wire
 * instead of the OpenAI SDK: the same guarantees as the SDK path — usage as the provider counted it, token quotas and
 * rate limits, failover of a stream that breaks before its first token.
 */
@IntegrationTest
class OpenAiWireIntegrationTests extends ApiTestSupport {

    static final FakeLlmServer PRIMARY = FakeLlmServer.start();
    static final FakeLlmServer BACKUP = FakeLlmServer.start();

    Session admin;
    OpenAIClient openai;

    @DynamicPropertySource
    static void providers(DynamicPropertyRegistry registry) {
        registry.add("switchboard.llm.providers.primary.kind", () -> "openai");
        registry.add("switchboard.llm.providers.primary.base-url", () -> PRIMARY.baseUrl() + "/v1");
        registry.add("switchboard.llm.providers.backup.kind", () -> "openai");
        registry.add("switchboard.llm.providers.backup.base-url", () -> BACKUP.baseUrl() + "/v1");
        registry.add("switchboard.llm.default-chain", () -> "primary:gpt-a,backup:gpt-b");
        registry.add("switchboard.metering.tiers.tiny.requests-per-minute", () -> "1000");
        registry.add("switchboard.metering.tiers.tiny.tokens-per-day", () -> "50");
        registry.add("switchboard.metering.tiers.slow.requests-per-minute", () -> "1");
    }

    @AfterAll
    static void stop() {
        PRIMARY.close();
        BACKUP.close();
    }

    @BeforeEach
    void setUp() {
        PRIMARY.reset().always(Behaviour.reply("Hello from the primary."));
        BACKUP.reset().always(Behaviour.reply("Hello from the backup."));
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

    ChatCompletionCreateParams params() {
        return ChatCompletionCreateParams.builder().model("support").addUserMessage("Say hello").temperature(0.1)
                .maxCompletionTokens(64L).build();
    }

    static boolean fromTheSdk(FakeLlmServer.Received received) {
        return received.headers().keySet().stream().anyMatch(name -> name.toLowerCase(Locale.ROOT).startsWith("x-stainless"));
    }

    @Test
    void completionsOverTheWireReportTheProvidersUsageAndHoldQuotasAndRateLimits() {
        ChatCompletion completion = openai.chat().completions().create(params());
        assertThat(completion.choices().getFirst().message().content()).hasValue("Hello from the primary.");
        // The fake counts four words: the provider's count, not an estimate.
        assertThat(completion.usage().orElseThrow().completionTokens()).isEqualTo(4);
        assertThat(PRIMARY.received()).singleElement().satisfies(received -> {
            assertThat(fromTheSdk(received)).as("sent over the direct wire").isFalse();
            assertThat(received.body().path("model").asString()).isEqualTo("gpt-a");
            assertThat(received.body().path("messages").findValuesAsString("content")).containsExactly("Be kind.", "Say hello");
            assertThat(received.body().path("max_tokens").asInt()).isEqualTo(64);
        });

        OpenAIClient tiny = client(key(admin, "tiny"));
        assertThatThrownBy(() -> tiny.chat().completions().create(params()))
                .isInstanceOfSatisfying(RateLimitException.class, ex -> assertThat(ex.code()).hasValue("token_quota_exceeded"));
        tiny.close();
        OpenAIClient slow = client(key(admin, "slow"));
        slow.chat().completions().create(params());
        assertThatThrownBy(() -> slow.chat().completions().create(params()))
                .isInstanceOfSatisfying(RateLimitException.class, ex -> assertThat(ex.code()).hasValue("rate_limit_exceeded"));
        slow.close();
        assertThat(PRIMARY.received()).as("refused requests never reach the provider").hasSize(2);
    }

    @Test
    void aStreamThatBreaksBeforeItsFirstTokenFailsOverAndCountsTheBackupsUsage() {
        PRIMARY.always(new Behaviour.CutBeforeFirstToken());
        ChatCompletionCreateParams params = params().toBuilder()
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = openai.chat().completions().createStreaming(params)) {
            stream.stream().forEach(chunks::add);
        }
        String text = chunks.stream().flatMap(c -> c.choices().stream()).map(c -> c.delta().content().orElse(""))
                .collect(Collectors.joining());
        assertThat(text).isEqualTo("Hello from the backup.");
        assertThat(chunks.getLast().usage().orElseThrow().completionTokens()).isEqualTo(4);
        assertThat(PRIMARY.received()).isNotEmpty().noneMatch(OpenAiWireIntegrationTests::fromTheSdk);
        assertThat(BACKUP.received()).singleElement().satisfies(received -> {
            assertThat(fromTheSdk(received)).isFalse();
            assertThat(received.body().path("stream").asBoolean()).isTrue();
        });
    }
}
