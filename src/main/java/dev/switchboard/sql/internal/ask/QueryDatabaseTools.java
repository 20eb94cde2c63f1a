package dev.switchboard.sql.internal.ask;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;

import dev.switchboard.identity.Caller;
import dev.switchboard.llm.InvalidToolArguments;
import dev.switchboard.llm.LlmTool;
import dev.switchboard.llm.Tool;
import dev.switchboard.llm.ToolArguments;
import dev.switchboard.llm.ToolContext;
import dev.switchboard.llm.ToolResult;
import dev.switchboard.llm.ToolSource;
import dev.switchboard.sql.AskableDatabase;
import dev.switchboard.sql.DatabaseQuestions;
import dev.switchboard.sql.SqlAnswer;
import dev.switchboard.sql.SqlAnswerText;
import dev.switchboard.sql.SqlQuestion;
import dev.switchboard.sql.internal.DatabaseKind;
import dev.switchboard.sql.internal.connection.SqlConnections;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code query_database/<name>}: one tool per registered database, so that an administrator allows a persona exactly
 * the databases it may query (its {@code allowedTools}). The model passes a question, not SQL: the question goes
 * through the same pipeline as {@code POST /api/sql/ask} — the persona's provider chain writes the statement, the guard
 * and the read-only executor run it — within the rights of the user the persona answers, so a member's persona reaches
 * only databases shared with that member.
 */
@Component
class QueryDatabaseTools implements ToolSource {

    static final String PREFIX = "query_database/";

    /** What the model calls a database's tool: the name with {@code /} as {@code __}, within 64 characters. */
    static final String MODEL_PREFIX = "query_database__";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final SqlConnections connections;
    private final DatabaseQuestions questions;
    private final AskProperties properties;

    QueryDatabaseTools(SqlConnections connections, DatabaseQuestions questions, AskProperties properties) {
        this.connections = connections;
        this.questions = questions;
        this.properties = properties;
    }

    @Override
    public List<Tool> tools() {
        return connections.summaries().stream().<Tool>map(QueryDatabase::new).toList();
    }

    /** The model's name for the database's tool: the name itself when it fits, a shortened one with a hash when not. */
    static String modelName(String database) {
        String name = MODEL_PREFIX + database;
        if (name.length() <= 64) {
            return name;
        }
        byte[] digest = sha256(database.getBytes(StandardCharsets.UTF_8));
        return MODEL_PREFIX + database.substring(0, 64 - MODEL_PREFIX.length() - 9) + "_"
                + HexFormat.of().formatHex(digest, 0, 4);
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(bytes);
        }
        catch (java.security.NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private final class QueryDatabase implements Tool {

        private final AskableDatabase database;
        private final LlmTool definition;

        QueryDatabase(AskableDatabase database) {
            this.database = database;
            String about = database.description() == null || database.description().isBlank() ? ""
                    : " It holds: " + database.description().strip();
            this.definition = new LlmTool(modelName(database.name()), "Answers a question from the " + database.name()
                    + " database (" + SqlPrompts.dialect(DatabaseKind.ofWireName(database.kind())) + ")." + about
                    + " Ask in plain language; a query is "
                    + "written, checked to be read-only and run, and the rows come back with the SQL. Use it for facts and "
                    + "figures held in that database.",
                    "{\"type\":\"object\",\"properties\":{\"question\":{\"type\":\"string\",\"description\":\"The question, "
                            + "in plain language, with every filter it needs (dates, names, units)\",\"maxLength\":"
                            + properties.maxQuestionLength() + "}},\"required\":[\"question\"]}");
        }

        @Override
        public String name() {
            return PREFIX + database.name();
        }

        @Override
        public LlmTool definition() {
            return definition;
        }

        @Override
        public ToolResult call(ToolContext context, String arguments) {
            String question;
            try {
                question = ToolArguments.parse(arguments, "{\"question\": \"...\"}").text("question",
                        properties.maxQuestionLength());
            }
            catch (InvalidToolArguments invalid) {
                return ToolResult.error(invalid.getMessage());
            }
            Optional<Caller> caller = context.principal(Caller.class);
            if (caller.isEmpty()) {
                return ToolResult.error("The database can only be queried on behalf of a signed-in user.");
            }
            String agent = context.personaId() == null ? null : context.personaId().toString();
            try {
                SqlAnswer answer = questions.ask(new SqlQuestion(database.id(), question, caller.get(), agent,
                        "tool " + name()), DatabaseQuestions.AskProgress.NONE);
                return new ToolResult(SqlAnswerText.of(answer), false, List.of(), JSON.writeValueAsString(answer));
            }
            catch (ErrorResponseException refused) {
                return ToolResult.error(SqlAnswerText.of(refused));
            }
        }
    }
}
