package dev.switchboard.sql;

import java.util.Objects;
import java.util.UUID;

import dev.switchboard.identity.Caller;

/**
 * A question for a registered database.
 *
 * @param connectionId the database
 * @param question the question in plain language
 * @param caller who asks: their role and the database's sharing decide whether they may, their quota pays the model
 * @param agent the persona (id or slug) whose provider chain writes the SQL, or null for the default chain
 * @param purpose what the model call is recorded as ({@code POST /api/sql/ask}, {@code tool query_database/sales})
 */
public record SqlQuestion(UUID connectionId, String question, Caller caller, String agent, String purpose) {

    public SqlQuestion {
        Objects.requireNonNull(connectionId, "connectionId");
        Objects.requireNonNull(question, "question");
        Objects.requireNonNull(caller, "caller");
        purpose = purpose == null ? "sql ask" : purpose;
    }
}
