package dev.switchboard.sql.internal.web;

import java.io.UncheckedIOException;
import java.util.List;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import dev.switchboard.identity.Caller;
import dev.switchboard.identity.Callers;
import dev.switchboard.shared.EventStream;
import dev.switchboard.shared.EventStreams;
import dev.switchboard.shared.ProblemResponder;
import dev.switchboard.sql.DatabaseQuestions;
import dev.switchboard.sql.SqlAnswer;
import dev.switchboard.sql.SqlQuestion;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

@Tag(name = "SQL questions")
@SecurityRequirement(name = "bearer")
@RestController
class SqlAskController {

    static final String PURPOSE = "POST /api/sql/ask";

    private final DatabaseQuestions questions;
    private final EventStreams streams;
    private final ProblemResponder problems;

    SqlAskController(DatabaseQuestions questions, EventStreams streams, ProblemResponder problems) {
        this.questions = questions;
        this.streams = streams;
        this.problems = problems;
    }

    /**
     * A question for a registered database.
     *
     * @param connectionId the database (one shared with the caller)
     * @param question the question in plain language
     * @param agent a persona (id or slug) whose provider chain writes the SQL; the default chain without it
     */
    record AskRequest(@NotNull UUID connectionId, @NotBlank @Size(max = 20_000) String question,
            @Size(max = 200) String agent) {
    }

    /** The statement the guard admitted, streamed before it runs. */
    record StatementEvent(@Schema(description = "The SQL that runs") String sql,
            @Schema(description = "What the model said it returns") String explanation,
            @Schema(description = "1 for the first statement, one more per correction") int attempt) {
    }

    /** The result, streamed once the statement ran. */
    record RowsEvent(List<SqlAnswer.Column> columns, List<List<Object>> rows, int rowCount, boolean truncated) {
    }

    @Operation(summary = "Ask a database a question", description = "A model writes one SQL query from the question, the "
            + "database's dialect and the part of its schema the question needs (the default provider chain, or the agent's); "
            + "the guard admits only a single read-only query over the allowed tables, columns and functions, with a LIMIT "
            + "of at most maxRows, and it runs in a read-only transaction under the statement timeout. When the guard or the "
            + "database refuses the statement, the model gets the reason and corrects it (switchboard.sql.ask.max-corrections "
            + "rounds). Answers {sql, explanation, columns, rows, rowCount, truncated, corrections, target, failover}. "
            + "Refusals are 422 problems carrying sql and reason: sql-rejected (the guard; nothing reached the database), "
            + "sql-failed (the database refused or stopped it; nothing changed), sql-not-written (the model wrote no query). "
            + "With Accept: text/event-stream: `sql` {sql, explanation, attempt} when a statement is admitted (again after "
            + "a correction), `rows` {columns, rows, rowCount, truncated}, then `done` (the JSON answer) or `error` (a "
            + "problem). Members may ask only databases shared with them; every question is audited with its SQL.")
    @PostMapping(value = "/api/sql/ask", produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.TEXT_EVENT_STREAM_VALUE})
    ResponseEntity<SqlAnswer> ask(@Valid @RequestBody AskRequest body,
            @RequestHeader(value = "Accept", required = false) String accept, HttpServletRequest request,
            HttpServletResponse response) {
        Caller caller = Callers.require();
        SqlQuestion question = new SqlQuestion(body.connectionId(), body.question(), caller, body.agent(), PURPOSE);
        if (accept == null || !accept.contains(MediaType.TEXT_EVENT_STREAM_VALUE)) {
            return ResponseEntity.ok(questions.ask(question, DatabaseQuestions.AskProgress.NONE));
        }
        try (EventStream events = streams.open(response)) {
            try {
                SqlAnswer answer = questions.ask(question,
                        (sql, explanation, attempt) -> events.send("sql", new StatementEvent(sql, explanation, attempt)));
                events.send("rows", new RowsEvent(answer.columns(), answer.rows(), answer.rowCount(), answer.truncated()));
                events.send("done", answer);
            }
            catch (ErrorResponseException failure) {
                if (!events.started()) {
                    throw failure;
                }
                events.send("error", ProblemResponder.body(problems.complete(failure.getBody(), request)));
            }
        }
        catch (UncheckedIOException clientGone) {
            // The client went away; the question was audited all the same.
        }
        return null;
    }
}
