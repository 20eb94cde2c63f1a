package dev.switchboard.llm;

/**
 * Tokens a call used, as the provider reported them; {@code estimated} when it reported none (the local
 * responder, or a stream that ended before the usage arrived) and the figures are counted from the text.
 */
public record Usage(long inputTokens, long outputTokens, boolean estimated) {

    public static final Usage NONE = new Usage(0, 0, false);

    public long totalTokens() {
        return inputTokens + outputTokens;
    }
}
