package dev.switchboard.llm.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import dev.switchboard.llm.internal.provider.ProviderKind;

/**
 * LLM routing settings ({@code switchboard.llm}).
 *
 * @param defaultChain targets tried in order when a persona names none, e.g. {@code primary:gpt-4o,backup:claude-sonnet-4};
 *        {@code local:extractive} is always appended
 * @param providers configured providers by id
 * @param retry retries of one target before failing over
 * @param breaker the circuit breaker every target has
 */
@Validated
@ConfigurationProperties("switchboard.llm")
public record LlmProperties(
        @DefaultValue("") String defaultChain,
        @NotNull @DefaultValue Map<String, @Valid Provider> providers,
        @Valid @NotNull @DefaultValue Retry retry,
        @Valid @NotNull @DefaultValue Breaker breaker) {

    /**
     * One provider.
     *
     * @param kind its wire protocol: {@code openai} (also any OpenAI-compatible server), {@code anthropic},
     *        {@code gemini}, {@code ollama}
     * @param baseUrl where it listens; each kind has the public endpoint as default
     * @param apiKey its key, from the environment or a mounted secret (Ollama needs none)
     * @param models what its models can do; a model not listed is tried for every request
     * @param connectTimeout how long connecting may take
     * @param firstTokenTimeout how long until the first token (streams) or the answer's headers
     * @param totalTimeout how long the whole answer may take
     * @param maxRetries retries of the same target on 429, 5xx, resets and timeouts before failing over
     */
    public record Provider(
            @NotNull ProviderKind kind,
            String baseUrl,
            String apiKey,
            @NotNull @DefaultValue List<@Valid Model> models,
            @NotNull @DefaultValue("5s") Duration connectTimeout,
            @NotNull @DefaultValue("30s") Duration firstTokenTimeout,
            @NotNull @DefaultValue("120s") Duration totalTimeout,
            @Min(0) @Max(5) @DefaultValue("1") int maxRetries) {

        public Provider {
            if (kind != null && kind.needsApiKey() && (apiKey == null || apiKey.isBlank()) && (baseUrl == null || baseUrl.isBlank())) {
                throw new IllegalArgumentException("a provider of kind " + kind.id() + " at its public endpoint needs an "
                        + "api-key (set it from the environment or a mounted secret)");
            }
        }
    }

    /**
     * What a model can do.
     *
     * @param name the model's name as the provider knows it
     * @param contextLength its context window in tokens; a request larger than this skips the target
     * @param tools whether it supports tool calling; requests that need tools skip it when false
     */
    public record Model(@NotNull String name, Integer contextLength, Boolean tools) {
    }

    /**
     * @param initialBackoff first backoff before retrying a target (doubled each retry, with full jitter)
     * @param maxBackoff the longest backoff
     * @param maxRetryAfter the longest {@code Retry-After} honoured by waiting; a longer one fails over at once
     */
    public record Retry(
            @NotNull @DefaultValue("200ms") Duration initialBackoff,
            @NotNull @DefaultValue("2s") Duration maxBackoff,
            @NotNull @DefaultValue("5s") Duration maxRetryAfter) {
    }

    /**
     * A Resilience4j count-based circuit breaker per target.
     *
     * @param failureRateThreshold percentage of failed calls in the window that opens the breaker
     * @param slidingWindowSize how many recent calls the rate is computed over
     * @param minimumCalls calls needed before the rate counts
     * @param openDuration how long an open breaker refuses calls before letting trial calls through
     * @param halfOpenCalls trial calls in the half-open state
     */
    public record Breaker(
            @DecimalMin("1") @DecimalMax("100") @DefaultValue("50") float failureRateThreshold,
            @Min(1) @DefaultValue("10") int slidingWindowSize,
            @Min(1) @DefaultValue("4") int minimumCalls,
            @NotNull @DefaultValue("30s") Duration openDuration,
            @Min(1) @DefaultValue("1") int halfOpenCalls) {
    }
}
