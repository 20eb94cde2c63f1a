package dev.switchboard.mcp.internal.server;

import static dev.switchboard.mcp.internal.server.Schemas.array;
import static dev.switchboard.mcp.internal.server.Schemas.object;
import static dev.switchboard.mcp.internal.server.Schemas.properties;
import static dev.switchboard.mcp.internal.server.Schemas.string;
import static dev.switchboard.mcp.internal.server.Schemas.uuid;

import java.util.List;
import java.util.UUID;

import org.springframework.stereotype.Component;

import dev.switchboard.chat.Conversations;
import dev.switchboard.identity.Caller;
import dev.switchboard.identity.ProtectedResources;
import dev.switchboard.llm.InvalidToolArguments;
import dev.switchboard.llm.ToolArguments;
import dev.switchboard.persona.Persona;
import dev.switchboard.persona.PersonaCatalog;
import io.modelcontextprotocol.spec.McpSchema;

/**
 * {@code ask_agent}: one turn with an agent the caller may use, in a stored session the caller can continue (here or
 * in the chat API). The turn is the chat API's own ({@link Conversations}): the same retrieval, provider chain,
 * failover, token quota and history.
 */
@Component("mcpAskAgentTool")
class AskAgentTool implements McpTool {

    static final String NAME = "ask_agent";
    /** Longer messages are refused by the turn itself ({@code switchboard.chat.max-message-length}). */
    private static final int MAX_MESSAGE = 100_000;

    /** The structured result. */
    record Answer(UUID sessionId, String agent, String answer, String status, List<Cited> citations, String target) {
    }

    /** A citation with every field present (empty when unknown), as the output schema promises. */
    record Cited(int marker, String documentId, String documentName, String chunkId, String location, String quote) {

        static Cited of(Conversations.Source source) {
            return new Cited(source.marker(), orEmpty(source.documentId()), orEmpty(source.documentName()),
                    orEmpty(source.chunkId()), orEmpty(source.location()), orEmpty(source.quote()));
        }

        private static String orEmpty(Object value) {
            return value == null ? "" : value.toString();
        }
    }

    private final PersonaCatalog personas;
    private final Conversations conversations;

    AskAgentTool(PersonaCatalog personas, Conversations conversations) {
        this.personas = personas;
        this.conversations = conversations;
    }

    @Override
    public McpSchema.Tool definition() {
        var input = object(properties("agent", string("The agent's slug or id (list_agents)."),
                "message", string("What to say to the agent.", MAX_MESSAGE),
                "sessionId", uuid("Continue this session (from an earlier answer); omit to start a new one.")),
                List.of("agent", "message"));
        var citation = object(properties("marker", Schemas.integer("The number used in the answer, [1]…", 1, 1_000, 1),
                "documentId", string("The cited document's id."), "documentName", string("The document's name."),
                "chunkId", string("The cited passage."), "location", string("Page or section, or empty."),
                "quote", string("Words quoted verbatim, or empty.")), List.of("marker", "documentName"));
        var output = object(properties("sessionId", uuid("The session; pass it back as sessionId to continue."),
                "agent", string("The agent's slug."), "answer", string("The agent's answer."),
                "status", string("complete, or incomplete when the answer broke off."),
                "citations", array(citation, "The passages the answer cites."),
                "target", string("The provider:model that answered.")), List.of("sessionId", "answer", "citations"));
        return McpSchema.Tool.builder(NAME, input).title("Ask an agent")
                .description("Send a message to one of the organisation's agents and get its answer, with citations of the "
                        + "documents it used. The conversation is kept: pass the returned sessionId to continue it.")
                .outputSchema(output).annotations(McpSchema.ToolAnnotations.builder().title("Ask an agent").readOnlyHint(false)
                        .destructiveHint(false).idempotentHint(false).openWorldHint(false).build())
                .build();
    }

    @Override
    public McpSchema.CallToolResult call(Caller caller, ToolArguments arguments) {
        String agent = arguments.text("agent", 200);
        String message = arguments.text("message", MAX_MESSAGE);
        UUID sessionId = arguments.optionalId("sessionId");
        Persona persona = personas.usable(agent, caller.actsAsAdmin())
                .orElseThrow(() -> new InvalidToolArguments("There is no agent '" + agent + "' you may use; list_agents lists them."));
        Conversations.Reply reply = conversations.ask(caller, persona, message, sessionId, "POST " + ProtectedResources.MCP_PATH);
        Answer answer = new Answer(reply.sessionId(), persona.slug(), reply.answer(), reply.status(),
                reply.citations().stream().map(Cited::of).toList(), reply.target());
        return ToolResults.ok(text(answer), answer);
    }

    private static String text(Answer answer) {
        StringBuilder text = new StringBuilder(answer.answer());
        if (!answer.citations().isEmpty()) {
            text.append("\n\nSources:");
            for (Cited source : answer.citations()) {
                text.append("\n[").append(source.marker()).append("] ").append(source.documentName());
                if (!source.location().isBlank()) {
                    text.append(", ").append(source.location());
                }
            }
        }
        return text.append("\n\n(sessionId ").append(answer.sessionId()).append(": pass it to continue this conversation.)")
                .toString();
    }
}
