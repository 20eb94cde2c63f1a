/**
 * The MCP server exposing Switchboard's agents and knowledge as tools to other agents, and the MCP client through
 * which personas use external tools.
 *
 * <p>The server ({@code internal.server}) answers at {@code /api/mcp} over stateless Streamable HTTP, on Spring AI's
 * MCP server support, behind the API's authentication (scope {@code mcp}); its tools — {@code search_knowledge},
 * {@code ask_agent}, {@code list_agents}, {@code list_databases}, {@code query_database} — run as the caller over the
 * module APIs ({@code KnowledgeSearch}, {@code PersonaCatalog}, {@code Conversations}, {@code DatabaseQuestions}), so
 * tenant, rights, limits, quotas and usage are those of REST.
 * See {@code docs/mcp.md}.
 */
@org.springframework.modulith.ApplicationModule(displayName = "MCP", allowedDependencies = {"shared", "tenancy", "identity", "persona",
        "knowledge", "chat", "llm", "sql"})
package dev.switchboard.mcp;
