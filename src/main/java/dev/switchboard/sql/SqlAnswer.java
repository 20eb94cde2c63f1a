package dev.switchboard.sql;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A question's answer from a registered database.
 *
 * @param connectionId the database
 * @param connection its name
 * @param sql the statement that ran: as the guard printed it back, with the row limit it enforced
 * @param explanation what the model said the statement returns
 * @param columns name and database type of each result column
 * @param rows the rows, at most the database's {@code maxRows}; cells are strings, numbers, booleans or null, long
 *        texts cut and masked columns replaced by {@code ****}
 * @param rowCount how many rows there are here
 * @param truncated whether the query had more rows than the database's {@code maxRows}
 * @param corrections how many times the model corrected its statement after a refusal (0 when the first one ran)
 * @param target the provider target whose model wrote the statement ({@code provider:model})
 * @param failover whether a target other than the chain's first wrote it
 */
public record SqlAnswer(UUID connectionId, String connection, String sql, String explanation, List<Column> columns,
        List<List<Object>> rows, int rowCount, boolean truncated, int corrections, String target, boolean failover) {

    /** A result column. */
    @Schema(name = "SqlResultColumn")
    public record Column(String name, String type) {
    }

    public SqlAnswer {
        columns = List.copyOf(columns);
        List<List<Object>> copies = new ArrayList<>(rows.size());
        // Cells may be null, which List.copyOf refuses.
        rows.forEach(row -> copies.add(Collections.unmodifiableList(new ArrayList<>(row))));
        rows = Collections.unmodifiableList(copies);
    }
}
