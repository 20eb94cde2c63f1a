package dev.switchboard.llm;

/**
 * An administrator registered, changed or removed a runtime provider of the current tenant (for the audit
 * log). {@code action} is {@code provider.created}, {@code provider.updated} or {@code provider.deleted}.
 */
public record ProviderChanged(String providerId, String action) {
}
