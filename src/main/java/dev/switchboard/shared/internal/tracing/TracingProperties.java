package dev.switchboard.shared.internal.tracing;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Switchboard's own tracing settings ({@code switchboard.tracing.*}); where spans go and how many are sampled are
 * Spring Boot's {@code management.opentelemetry.*} and {@code management.tracing.*} settings.
 *
 * @param captureContent whether LLM spans carry the prompt and the answer, and tool spans the arguments and result
 *        (redacted like logs). Off by default: traces often go to a third-party service, and prompts hold what users
 *        typed and what the knowledge bases say.
 */
@ConfigurationProperties("switchboard.tracing")
public record TracingProperties(@DefaultValue("false") boolean captureContent) {
}
