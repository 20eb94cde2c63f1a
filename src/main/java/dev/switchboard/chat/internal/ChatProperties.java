package dev.switchboard.chat.internal;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Chat settings ({@code switchboard.chat}).
 *
 * @param sessionTtl a session expires after this long without activity; continuing it answers 410
 * @param retention how long an expired session's history is kept before the purge job deletes it
 * @param purgeInterval how often the purge job runs (on one replica at a time)
 * @param purgeBatch sessions deleted per transaction by the purge job
 * @param maxMessageLength longest user message accepted, in characters
 * @param contextTokens the window assumed for a target whose context length is not configured
 * @param passages passages a turn retrieves from the persona's knowledge bases
 * @param sseHeartbeat a streamed answer that has been silent this long (a slow first token) gets an SSE comment,
 *        so that proxies with idle timeouts keep it open; the first one commits the response's 200
 * @param maxToolSteps model calls of a turn that may ask for tools; when the model still asks after these, it is
 *        asked once more, without tools, to answer from what it has
 * @param toolTimeout how long one tool call is waited for before the model is told it timed out
 * @param maxToolResultChars the longest tool result the model is sent, in characters (longer ones are cut, saying so)
 * @param maxAgentDepth how many agents deep {@code ask_agent} may go (an agent asking an agent asking …)
 * @param embeddings limits of {@code POST /v1/embeddings}
 */
@Validated
@ConfigurationProperties("switchboard.chat")
public record ChatProperties(
        @NotNull @DefaultValue("PT24H") Duration sessionTtl,
        @NotNull @DefaultValue("P30D") Duration retention,
        @NotNull @DefaultValue("PT10M") Duration purgeInterval,
        @Min(1) @Max(10_000) @DefaultValue("500") int purgeBatch,
        @Min(1) @Max(1_000_000) @DefaultValue("32000") int maxMessageLength,
        @Min(512) @DefaultValue("8192") int contextTokens,
        @Min(1) @Max(20) @DefaultValue("5") int passages,
        @NotNull @DefaultValue("PT15S") Duration sseHeartbeat,
        @Min(1) @Max(50) @DefaultValue("8") int maxToolSteps,
        @NotNull @DefaultValue("PT30S") Duration toolTimeout,
        @Min(500) @Max(1_000_000) @DefaultValue("16000") int maxToolResultChars,
        @Min(0) @Max(10) @DefaultValue("2") int maxAgentDepth,
        @Valid @NotNull @DefaultValue EmbeddingLimits embeddings) {

    /**
     * What one {@code POST /v1/embeddings} request may ask: every text is embedded on this machine's cores (the
     * in-process model, about 30 texts of 220 tokens a second on 2 cores) or sent to the remote model.
     *
     * @param maxInputs texts per request (OpenAI allows 2048; 256 in-process take about 10 s)
     * @param maxInputChars characters per text (the in-process model reads 512 tokens at a time and averages longer texts)
     */
    public record EmbeddingLimits(
            @Min(1) @Max(2048) @DefaultValue("256") int maxInputs,
            @Min(1) @Max(1_000_000) @DefaultValue("32000") int maxInputChars) {
    }

    public ChatProperties {
        if (sessionTtl.isNegative() || sessionTtl.isZero()) {
            throw new IllegalArgumentException("switchboard.chat.session-ttl must be positive, e.g. PT24H");
        }
        if (sseHeartbeat.compareTo(Duration.ofMillis(100)) < 0) {
            throw new IllegalArgumentException("switchboard.chat.sse-heartbeat must be at least 100 ms, e.g. PT15S");
        }
        if (toolTimeout.compareTo(Duration.ofMillis(100)) < 0) {
            throw new IllegalArgumentException("switchboard.chat.tool-timeout must be at least 100 ms, e.g. PT30S");
        }
        if (retention.isNegative()) {
            throw new IllegalArgumentException("switchboard.chat.retention must not be negative, e.g. P30D");
        }
    }
}
