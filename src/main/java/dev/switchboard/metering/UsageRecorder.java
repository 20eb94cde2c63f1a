package dev.switchboard.metering;

import java.util.UUID;

import dev.switchboard.identity.Caller;

/**
 * Records what callers use: API requests (by the metering filter), LLM tokens (by the model calls) and chat turns per
 * persona (by the chat module).
 */
public interface UsageRecorder {

    /** One API request of the caller, by endpoint (e.g. {@code GET /api/users/{id}}) and status. */
    void request(Caller caller, String endpoint, int status);

    /** LLM tokens a call of the caller used. */
    void tokens(Caller caller, String endpoint, long tokensIn, long tokensOut);

    /**
     * One chat turn answered (or not: {@code failed}) by a persona, with the tokens of all its model calls; what
     * {@code GET /api/usage?groupBy=persona} reports.
     */
    void personaTurn(UUID tenantId, UUID personaId, boolean failed, long tokensIn, long tokensOut);
}
