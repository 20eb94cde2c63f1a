package dev.switchboard.mcp.internal.server;

import static dev.switchboard.mcp.internal.server.Schemas.array;
import static dev.switchboard.mcp.internal.server.Schemas.bool;
import static dev.switchboard.mcp.internal.server.Schemas.integer;
import static dev.switchboard.mcp.internal.server.Schemas.object;
import static dev.switchboard.mcp.internal.server.Schemas.properties;
import static dev.switchboard.mcp.internal.server.Schemas.string;
import static dev.switchboard.mcp.internal.server.Schemas.uuid;

import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;

import dev.switchboard.identity.Caller;
import dev.switchboard.identity.Scopes;
import dev.switchboard.llm.InvalidToolArguments;
import dev.switchboard.llm.ToolArguments;
import dev.switchboard.sql.AskableDatabase;
import dev.switchboard.sql.DatabaseQuestions;
import dev.switchboard.sql.SqlAnswer;
import dev.switchboard.sql.SqlAnswerText;
import dev.switchboard.sql.SqlQuestion;
import io.modelcontextprotocol.spec.McpSchema;

/**
 * {@code query_database}: a question in plain language answered from a registered database the caller may use, as
 * {@code POST /api/sql/ask} answers it (the default provider chain, or an agent's, writes the SQL; the guard and the
 * read-only executor run it). Needs the {@code sql} scope, like the REST API.
 */
@Component
class QueryDatabaseTool implements McpTool {

    static final String NAME = "query_database";
    static final int MAX_QUESTION = 2_000;

    private final DatabaseQuestions questions;

    QueryDatabaseTool(DatabaseQuestions questions) {
        this.questions = questions;
    }

    @Override
    public McpSchema.Tool definition() {
        var input = object(properties("database", string("The database's name or id (list_databases lists them).", 100),
                "question", string("The question in plain language, with every filter it needs.", MAX_QUESTION),
                "agent", string("An agent (slug or id) whose provider chain writes the SQL; the default chain without it.")),
                List.of("database", "question"));
        var column = object(properties("name", string("The column's name."), "type", string("Its database type.")),
                List.of("name", "type"));
        var output = object(properties("connectionId", uuid("The database."), "connection", string("Its name."),
                "sql", string("The statement that ran, as the guard admitted it (with its LIMIT)."),
                "explanation", string("What the model said the statement returns."),
                "columns", array(column, "The result's columns."),
                "rows", array(Map.of("type", "array", "items", Map.of()), "The rows, each an array of cells (string, number, "
                        + "boolean or null); masked columns read ****."),
                "rowCount", integer("How many rows.", 0, Integer.MAX_VALUE, 0),
                "truncated", bool("Whether more rows exist than the database's row limit lets through."),
                "corrections", integer("How many times the model corrected a refused statement.", 0, 3, 0),
                "target", string("The provider:model that wrote the statement."),
                "failover", bool("Whether a target other than the chain's first wrote it.")),
                List.of("sql", "columns", "rows", "rowCount", "truncated"));
        return McpSchema.Tool.builder(NAME, input).title("Query a database")
                .description("Answer a question from one of the organisation's registered databases: a read-only SQL query is "
                        + "written for it, checked (one SELECT over allowed tables and columns, with a row limit) and run; the "
                        + "SQL and the rows come back. Needs the sql scope.")
                .outputSchema(output).annotations(SearchKnowledgeTool.readOnly("Query a database")).build();
    }

    @Override
    public McpSchema.CallToolResult call(Caller caller, ToolArguments arguments) {
        if (!caller.has(Scopes.SQL)) {
            throw new InvalidToolArguments("Querying databases needs the sql scope, which this credential lacks.");
        }
        String database = arguments.text("database", 100);
        String question = arguments.text("question", MAX_QUESTION);
        String agent = arguments.optionalText("agent", 200);
        AskableDatabase target = questions.askable(database, caller).orElseThrow(() -> new InvalidToolArguments(
                "There is no database '" + database + "' you may query; list_databases lists them."));
        try {
            SqlAnswer answer = questions.ask(new SqlQuestion(target.id(), question, caller, agent, "mcp " + NAME),
                    DatabaseQuestions.AskProgress.NONE);
            return ToolResults.ok(SqlAnswerText.of(answer), answer);
        }
        catch (ErrorResponseException refused) {
            return ToolResults.error(SqlAnswerText.of(refused));
        }
    }
}
