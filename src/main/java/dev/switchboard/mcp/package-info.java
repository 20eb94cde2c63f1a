/**
 * The MCP server exposing Switchboard's tools to other agents, and the MCP client through which personas
 * use external tools.
 */
@org.springframework.modulith.ApplicationModule(displayName = "MCP", allowedDependencies = {"shared", "tenancy", "identity", "persona", "knowledge", "chat", "llm"})
package dev.switchboard.mcp;
