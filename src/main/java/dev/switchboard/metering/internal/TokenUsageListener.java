package dev.switchboard.metering.internal;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import dev.switchboard.identity.Callers;
import dev.switchboard.llm.TokensUsed;
import dev.switchboard.metering.UsageRecorder;

/**
 * Records the tokens of every model call against the caller (tenant, user, key) who caused it; the router
 * publishes {@link TokensUsed} on the caller's thread, so the caller is the current one.
 */
@Component
class TokenUsageListener {

    private final UsageRecorder usage;

    TokenUsageListener(UsageRecorder usage) {
        this.usage = usage;
    }

    @EventListener
    void on(TokensUsed event) {
        Callers.current().ifPresent(caller -> usage.tokens(caller, event.purpose(), event.usage().inputTokens(),
                event.usage().outputTokens()));
    }
}
