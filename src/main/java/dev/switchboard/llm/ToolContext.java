package dev.switchboard.llm;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Who runs a tool call and within which limits.
 *
 * @param tenantId the tenant the call runs for (the {@link dev.switchboard.tenancy.TenantContext} is set to it)
 * @param personaId the persona whose model called the tool, or null when an MCP client calls it directly
 * @param knowledgeBaseIds the knowledge bases the call may search (the persona's, or those an MCP client named
 *        and may read)
 * @param depth how many agents deep the call is: 0 for a persona answering a user, one more for each
 *        {@code ask_agent} hop; tools that start another turn refuse beyond the configured limit
 * @param deadline when the call's result is no longer waited for
 * @param principal the caller as the module running the turn knows it (chat and mcp pass the identity
 *        {@code Caller}), for tools that apply the caller's own rights, limits and quotas; never null
 */
public record ToolContext(UUID tenantId, UUID personaId, List<UUID> knowledgeBaseIds, int depth, Instant deadline,
        Object principal) {

    public ToolContext {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(deadline, "deadline");
        Objects.requireNonNull(principal, "principal");
        knowledgeBaseIds = knowledgeBaseIds == null ? List.of() : List.copyOf(knowledgeBaseIds);
        if (depth < 0) {
            throw new IllegalArgumentException("depth is 0 or more");
        }
    }

    /** The principal if it is a {@code type}. */
    public <T> Optional<T> principal(Class<T> type) {
        return type.isInstance(principal) ? Optional.of(type.cast(principal)) : Optional.empty();
    }
}
