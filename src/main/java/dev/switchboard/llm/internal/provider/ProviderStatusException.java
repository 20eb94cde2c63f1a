package dev.switchboard.llm.internal.provider;

import java.io.IOException;

/**
 * A provider answered an HTTP error ({@link OpenAiWire}): its status and {@code Retry-After} header (null when absent).
 * The message holds neither the provider's body nor anything from the request.
 */
public final class ProviderStatusException extends IOException {

    private final int status;
    private final transient String retryAfter;

    public ProviderStatusException(int status, String retryAfter) {
        super("The provider answered HTTP " + status);
        this.status = status;
        this.retryAfter = retryAfter;
    }

    public int status() {
        return status;
    }

    public String retryAfter() {
        return retryAfter;
    }
}
