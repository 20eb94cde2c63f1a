package dev.switchboard.llm.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

import dev.switchboard.llm.AttemptOutcome;
import dev.switchboard.llm.LlmRequest;
import dev.switchboard.llm.LlmResult;
import dev.switchboard.llm.internal.provider.ProviderKind;

/**
 * Optional live checks against real providers, each run only when its key (or Ollama's URL) is in the
 * environment: {@code OPENAI_API_KEY} (model {@code OPENAI_MODEL}, default gpt-4o-mini), {@code ANTHROPIC_API_KEY}
 * ({@code ANTHROPIC_MODEL}, default claude-3-5-haiku-latest), {@code GEMINI_API_KEY} ({@code GEMINI_MODEL}, default
 * gemini-2.0-flash), {@code OLLAMA_BASE_URL} ({@code OLLAMA_MODEL}, default llama3.1). Not part of the default test
 * run (the name ends in IT): {@code ./mvnw test -Dtest=LiveProvidersIT}.
 */
class LiveProvidersIT {

    RouterFixture fixture;

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    @EnabledIfEnvironmentVariable(named = "OPENAI_API_KEY", matches = ".+")
    void openAi() {
        check(ProviderKind.OPENAI, null, System.getenv("OPENAI_API_KEY"), env("OPENAI_MODEL", "gpt-4o-mini"));
    }

    @Test
    @EnabledIfEnvironmentVariable(named = "ANTHROPIC_API_KEY", matches = ".+")
    void anthropic() {
        check(ProviderKind.ANTHROPIC, null, System.getenv("ANTHROPIC_API_KEY"), env("ANTHROPIC_MODEL", "claude-3-5-haiku-latest"));
    }

    @Test
    @EnabledIfEnvironmentVariable(named = "GEMINI_API_KEY", matches = ".+")
    void gemini() {
        check(ProviderKind.GEMINI, null, System.getenv("GEMINI_API_KEY"), env("GEMINI_MODEL", "gemini-2.0-flash"));
    }

    @Test
    @EnabledIfEnvironmentVariable(named = "OLLAMA_BASE_URL", matches = ".+")
    void ollama() {
        check(ProviderKind.OLLAMA, System.getenv("OLLAMA_BASE_URL"), null, env("OLLAMA_MODEL", "llama3.1"));
    }

    private void check(ProviderKind kind, String baseUrl, String apiKey, String model) {
        fixture = new RouterFixture(Map.of("live", new LlmProperties.Provider(kind, baseUrl, apiKey, List.of(),
                Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(120), 1)), "live:" + model,
                RouterFixture.lenientBreaker());
        LlmRequest request = LlmRequest.ofPrompt("Reply with the single word: pong", "live-test");
        LlmResult answer = fixture.router.generate(fixture.router.defaultChain(), request);
        assertThat(answer.attempts().getLast().outcome()).isEqualTo(AttemptOutcome.ANSWERED);
        assertThat(answer.content().toLowerCase()).contains("pong");
        assertThat(answer.usage().outputTokens()).isPositive();

        StringBuilder deltas = new StringBuilder();
        LlmResult streamed = fixture.router.stream(fixture.router.defaultChain(), request, deltas::append);
        assertThat(streamed.complete()).isTrue();
        assertThat(streamed.target().providerId()).isEqualTo("live");
        assertThat(deltas.toString()).isEqualTo(streamed.content());
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
