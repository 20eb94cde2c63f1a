package dev.switchboard.llm;

/**
 * Published (synchronously, on the calling thread) after every model call that used tokens, so that usage
 * is recorded against the caller's tenant and key.
 */
public record TokensUsed(Target target, Usage usage, String purpose) {
}
