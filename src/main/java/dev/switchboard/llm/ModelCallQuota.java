package dev.switchboard.llm;

/**
 * The token quota a model call made outside a chat turn draws on (the providers test prompt): reserved before the
 * call, settled after it. Implemented by {@code metering}, which owns quotas and depends on this module — so that
 * {@code llm} meters its own calls without depending on it. Chat turns meter their calls themselves, with the
 * same rule.
 */
public interface ModelCallQuota {

    /** A reservation to settle once the call is over, however it ended. */
    interface Reserved {

        void settle(long usedTokens);
    }

    /**
     * Reserves {@code tokens} for the current caller, or refuses with 429 {@code token-quota-exceeded}.
     *
     * @param what what the tokens are for, as the refusal names it ("This test prompt")
     */
    Reserved reserve(long tokens, String what);
}
