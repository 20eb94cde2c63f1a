package dev.switchboard.support;

import java.util.ArrayList;
import java.util.List;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.ResultSetExtractor;

/**
 * SQL run as the schema owner rather than the application's role: past row-level security and the append-only
 * triggers' grants, as an operator (or an attacker with the owner's password) would. The connection goes back to
 * the pool as the application's role again.
 */
public final class SchemaOwner {

    private SchemaOwner() {
    }

    /** Runs statements (several, separated by semicolons); returns the first one's update count. */
    public static int update(JdbcTemplate jdbc, String sql) {
        return asOwner(jdbc, statement -> {
            statement.execute(sql);
            return statement.getUpdateCount();
        });
    }

    /** The query's rows, read by {@code extractor}. */
    public static <T> T query(JdbcTemplate jdbc, String sql, ResultSetExtractor<T> extractor) {
        return asOwner(jdbc, statement -> {
            try (var rows = statement.executeQuery(sql)) {
                return extractor.extractData(rows);
            }
        });
    }

    /** The query's first column, as strings. */
    public static List<String> strings(JdbcTemplate jdbc, String sql) {
        return query(jdbc, sql, rows -> {
            List<String> values = new ArrayList<>();
            while (rows.next()) {
                values.add(rows.getString(1));
            }
            return values;
        });
    }

    /** The query's first value, as a string, in the application {@code context}'s database. */
    public static String value(ConfigurableApplicationContext context, String sql) {
        return strings(context.getBean(JdbcTemplate.class), sql).getFirst();
    }

    /**
     * Runs {@code during} while a transaction of the owner holds {@code table} locked in access exclusive mode: every
     * statement that reads the table waits until {@code during} returns (the transaction then rolls back).
     */
    public static void whileLocked(JdbcTemplate jdbc, String table, Runnable during) {
        jdbc.execute((ConnectionCallback<Void>) connection -> {
            connection.setAutoCommit(false);
            try (var statement = connection.createStatement()) {
                statement.execute("reset role");
                statement.execute("lock table " + table + " in access exclusive mode");
                during.run();
            }
            finally {
                // The rollback also undoes the reset of the role.
                connection.rollback();
                connection.setAutoCommit(true);
            }
            return null;
        });
    }

    private interface Work<T> {
        T run(java.sql.Statement statement) throws java.sql.SQLException;
    }

    private static <T> T asOwner(JdbcTemplate jdbc, Work<T> work) {
        return jdbc.execute((ConnectionCallback<T>) connection -> {
            try (var statement = connection.createStatement()) {
                statement.execute("reset role");
                try {
                    return work.run(statement);
                }
                finally {
                    statement.execute("set role switchboard_app");
                }
            }
        });
    }
}
