package dev.switchboard.persona;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An agent as its administrators defined it, at one version.
 *
 * @param slug unique within the tenant; what the OpenAI-compatible API calls the model
 * @param instructions the system prompt
 * @param chain the provider chain ({@code primary:gpt-4o,backup:claude-sonnet-4}), or null for the default chain
 * @param temperature sampling temperature, or null for the provider's default
 * @param maxTokens the answer's token limit, or null for the provider's default
 * @param knowledgeBaseIds knowledge bases its answers draw on
 * @param allowedTools tools it may call
 * @param membersAllowed whether members (not only admins) may talk to it
 * @param version increases with every change
 */
public record Persona(UUID id, String slug, String name, String description, String instructions, String chain,
        Double temperature, Integer maxTokens, List<UUID> knowledgeBaseIds, List<String> allowedTools,
        boolean membersAllowed, int version, Instant createdAt, Instant updatedAt) {

    public Persona {
        knowledgeBaseIds = knowledgeBaseIds == null ? List.of() : List.copyOf(knowledgeBaseIds);
        allowedTools = allowedTools == null ? List.of() : List.copyOf(allowedTools);
    }
}
