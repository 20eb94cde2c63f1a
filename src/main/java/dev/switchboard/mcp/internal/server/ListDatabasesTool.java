package dev.switchboard.mcp.internal.server;

import static dev.switchboard.mcp.internal.server.Schemas.array;
import static dev.switchboard.mcp.internal.server.Schemas.object;
import static dev.switchboard.mcp.internal.server.Schemas.properties;
import static dev.switchboard.mcp.internal.server.Schemas.string;
import static dev.switchboard.mcp.internal.server.Schemas.uuid;

import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;

import dev.switchboard.identity.Caller;
import dev.switchboard.identity.Scopes;
import dev.switchboard.llm.InvalidToolArguments;
import dev.switchboard.llm.ToolArguments;
import dev.switchboard.sql.AskableDatabase;
import dev.switchboard.sql.DatabaseQuestions;
import io.modelcontextprotocol.spec.McpSchema;

/** {@code list_databases}: the registered databases the caller may query with {@code query_database}. */
@Component
class ListDatabasesTool implements McpTool {

    static final String NAME = "list_databases";

    /** The structured result. */
    record Databases(List<AskableDatabase> databases) {
    }

    private final DatabaseQuestions questions;

    ListDatabasesTool(DatabaseQuestions questions) {
        this.questions = questions;
    }

    @Override
    public McpSchema.Tool definition() {
        var database = object(properties("id", uuid("The database's id."), "name", string("What query_database calls it."),
                "description", string("What it holds."), "kind", string("postgresql, mysql or mariadb.")),
                List.of("id", "name", "kind"));
        var output = object(properties("databases", array(database, "The databases you may query, by name.")),
                List.of("databases"));
        return McpSchema.Tool.builder(NAME, object(Map.of(), List.of())).title("List databases")
                .description("The organisation's registered databases you may ask questions of (query_database). Needs the sql "
                        + "scope.")
                .outputSchema(output).annotations(SearchKnowledgeTool.readOnly("List databases")).build();
    }

    @Override
    public McpSchema.CallToolResult call(Caller caller, ToolArguments arguments) {
        if (!caller.has(Scopes.SQL)) {
            throw new InvalidToolArguments("Listing databases needs the sql scope, which this credential lacks.");
        }
        List<AskableDatabase> databases = questions.askable(caller);
        StringBuilder text = new StringBuilder(databases.isEmpty() ? "There is no database you may query."
                : "Databases you may query:");
        for (AskableDatabase database : databases) {
            text.append("\n- ").append(database.name()).append(" (").append(database.kind()).append(")");
            if (database.description() != null && !database.description().isBlank()) {
                text.append(": ").append(database.description());
            }
        }
        return ToolResults.ok(text.toString(), new Databases(databases));
    }
}
