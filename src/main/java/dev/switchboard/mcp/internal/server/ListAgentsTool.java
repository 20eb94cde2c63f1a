package dev.switchboard.mcp.internal.server;

import static dev.switchboard.mcp.internal.server.Schemas.array;
import static dev.switchboard.mcp.internal.server.Schemas.object;
import static dev.switchboard.mcp.internal.server.Schemas.properties;
import static dev.switchboard.mcp.internal.server.Schemas.string;

import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;

import dev.switchboard.identity.Caller;
import dev.switchboard.llm.ToolArguments;
import dev.switchboard.persona.PersonaCatalog;
import io.modelcontextprotocol.spec.McpSchema;

/** {@code list_agents}: the agents the caller may use (admins: all of the tenant's; members: those open to members). */
@Component("mcpListAgentsTool")
class ListAgentsTool implements McpTool {

    static final String NAME = "list_agents";

    /** An agent as a client chooses it: never its instructions. */
    record Agent(String slug, String name, String description) {
    }

    /** The structured result. */
    record Agents(List<Agent> agents) {
    }

    private final PersonaCatalog personas;

    ListAgentsTool(PersonaCatalog personas) {
        this.personas = personas;
    }

    @Override
    public McpSchema.Tool definition() {
        var agent = object(properties("slug", string("What ask_agent and search_knowledge call it."),
                "name", string("Its name."), "description", string("What it is for.")), List.of("slug", "name"));
        var output = object(properties("agents", array(agent, "The agents you may use, by name.")), List.of("agents"));
        return McpSchema.Tool.builder(NAME, object(Map.of(), List.of())).title("List agents")
                .description("The organisation's agents you may talk to (ask_agent) or search through (search_knowledge).")
                .outputSchema(output).annotations(SearchKnowledgeTool.readOnly("List agents")).build();
    }

    @Override
    public McpSchema.CallToolResult call(Caller caller, ToolArguments arguments) {
        List<Agent> agents = personas.usable(caller.actsAsAdmin()).stream()
                .map(p -> new Agent(p.slug(), p.name(), p.description() == null ? "" : p.description())).toList();
        StringBuilder text = new StringBuilder(agents.isEmpty() ? "There is no agent you may use." : "Agents you may use:");
        for (Agent agent : agents) {
            text.append("\n- ").append(agent.slug()).append(" (").append(agent.name()).append(")");
            if (!agent.description().isBlank()) {
                text.append(": ").append(agent.description());
            }
        }
        return ToolResults.ok(text.toString(), new Agents(agents));
    }
}
