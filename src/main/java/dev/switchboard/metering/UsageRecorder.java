package dev.switchboard.metering;

import dev.switchboard.identity.Caller;

/** Records what callers use: API requests (by the metering filter) and LLM tokens (by the model calls). */
public interface UsageRecorder {

    /** One API request of the caller, by endpoint (e.g. {@code GET /api/users/{id}}) and status. */
    void request(Caller caller, String endpoint, int status);

    /** LLM tokens a call of the caller used. */
    void tokens(Caller caller, String endpoint, long tokensIn, long tokensOut);
}
