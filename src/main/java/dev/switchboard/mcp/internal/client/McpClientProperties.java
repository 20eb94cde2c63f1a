package dev.switchboard.mcp.internal.client;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of external MCP servers as tool sources ({@code switchboard.mcp.client}).
 *
 * @param toolsRefresh how old a server's cached tool list may get before it is listed again, in the background
 *        (a persona's turn never waits for it)
 * @param maxResultChars the most characters of one tool result a model is given; the rest is cut and the model
 *        told so. 20,000 characters is about 5,000 tokens, a quarter of an 8k context window
 *        ({@code switchboard.chat.context-tokens}'s default)
 * @param maxTools the most tools one server may list; more are ignored (a server could list without end)
 * @param defaultTimeout the per-call timeout of a server registered without one
 * @param maxResponseSize the longest HTTP answer read from a server; a longer one is dropped and the call fails
 *        (the SDK reads answers whole, before they are cut to {@code maxResultChars})
 */
@Validated
@ConfigurationProperties("switchboard.mcp.client")
record McpClientProperties(
        @NotNull @DefaultValue("PT5M") Duration toolsRefresh,
        @Min(100) @Max(1_000_000) @DefaultValue("20000") int maxResultChars,
        @Min(1) @Max(1000) @DefaultValue("100") int maxTools,
        @NotNull @DefaultValue("PT30S") Duration defaultTimeout,
        @NotNull @DefaultValue("4MB") DataSize maxResponseSize) {

    McpClientProperties {
        if (toolsRefresh.isNegative() || toolsRefresh.isZero()) {
            throw new IllegalArgumentException("switchboard.mcp.client.tools-refresh must be positive, e.g. PT5M");
        }
        if (defaultTimeout.compareTo(Duration.ofMillis(100)) < 0 || defaultTimeout.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException("switchboard.mcp.client.default-timeout must be between PT0.1S and PT10M");
        }
        if (maxResponseSize.toBytes() < 1024) {
            throw new IllegalArgumentException("switchboard.mcp.client.max-response-size must be at least 1KB, e.g. 4MB");
        }
    }
}
