package dev.switchboard.identity;

import java.util.List;
import java.util.Set;

/**
 * What a credential may do. A user's own session carries every scope (its role still decides what is
 * allowed); an API key carries the scopes its creator gave it. Which scope each area of the API needs is
 * decided in one place, the identity module's {@code ApiAreas}.
 */
public final class Scopes {

    /** Talk to agents: chat, sessions, the OpenAI-compatible API, agent and persona summaries. */
    public static final String CHAT = "chat";
    /** Search and read knowledge bases, documents and chunks. */
    public static final String KNOWLEDGE_READ = "knowledge:read";
    /** Change knowledge bases and documents (admins only). */
    public static final String KNOWLEDGE_WRITE = "knowledge:write";
    /** Registered databases: list those shared with the caller and ask them questions ({@code /api/sql/ask}). */
    public static final String SQL = "sql";
    /** The MCP server ({@code /api/mcp}): its tools, each within the caller's own rights. */
    public static final String MCP = "mcp";
    /**
     * The caller's account and administration: keys, usage, signing out everywhere, and (with the ADMIN role)
     * the tenant's administration. Only keys of admins may carry it.
     */
    public static final String ADMIN = "admin";

    /** Every scope there is. */
    public static final Set<String> ALL = Set.of(CHAT, KNOWLEDGE_READ, KNOWLEDGE_WRITE, SQL, MCP, ADMIN);

    /** What a key carries when its creator names no scopes: everything but administration. */
    public static final List<String> KEY_DEFAULT = List.of(CHAT, KNOWLEDGE_READ, KNOWLEDGE_WRITE, SQL, MCP);

    /** The Spring Security authority that stands for a scope ({@code SCOPE_chat}). */
    public static String authority(String scope) {
        return "SCOPE_" + scope;
    }

    private Scopes() {
    }
}
