package dev.switchboard.knowledge.internal.index;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;

import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database side of {@link PgVectorChunkIndex}, applied as the schema owner after every Flyway migration (a
 * callback, not a versioned migration: the migrations must run on a PostgreSQL without pgvector, and an extension
 * installed later must still get its table). When asked to, it first installs the {@code vector} extension if the
 * server offers it and the owner may; then, when the extension is installed, it creates the index table, its
 * row-level security and the function that builds a model's HNSW index ({@code db/knowledge/pgvector-index.sql},
 * idempotent). Without the extension it does nothing.
 */
public final class PgVectorSchema implements Callback {

    private static final Logger log = LoggerFactory.getLogger(PgVectorSchema.class);

    static final String SCRIPT = "db/knowledge/pgvector-index.sql";

    private final boolean installExtension;

    /** @param installExtension whether to run {@code create extension vector} when the server offers it */
    public PgVectorSchema(boolean installExtension) {
        this.installExtension = installExtension;
    }

    @Override
    public boolean supports(Event event, Context context) {
        return event == Event.AFTER_MIGRATE;
    }

    @Override
    public boolean canHandleInTransaction(Event event, Context context) {
        return true;
    }

    @Override
    public void handle(Event event, Context context) {
        try {
            apply(context.getConnection());
        }
        catch (SQLException ex) {
            throw new IllegalStateException("Could not create the pgvector index's table: " + ex.getMessage(), ex);
        }
    }

    @Override
    public String getCallbackName() {
        return "knowledge pgvector index";
    }

    /** Installs (when asked and possible) the extension and, when it is installed, the index's schema. */
    public void apply(Connection connection) throws SQLException {
        if (installExtension && !installed(connection) && offered(connection)) {
            install(connection);
        }
        if (installed(connection)) {
            try (Statement statement = connection.createStatement()) {
                statement.execute(script());
            }
        }
    }

    /** Whether the {@code vector} extension is installed in the connection's database. */
    public static boolean installed(Connection connection) throws SQLException {
        return exists(connection, "select exists (select 1 from pg_extension where extname = 'vector')");
    }

    /** Whether the server offers the {@code vector} extension (installed or installable). */
    public static boolean offered(Connection connection) throws SQLException {
        return exists(connection, "select exists (select 1 from pg_available_extensions where name = 'vector')");
    }

    private static void install(Connection connection) throws SQLException {
        // A savepoint, so that a refusal (the owner is not allowed to) leaves the migration's transaction usable.
        boolean transactional = !connection.getAutoCommit();
        Savepoint savepoint = transactional ? connection.setSavepoint() : null;
        try (Statement statement = connection.createStatement()) {
            statement.execute("create extension if not exists vector");
            log.info("Installed the PostgreSQL extension vector (pgvector) for the knowledge index");
        }
        catch (SQLException ex) {
            if (savepoint != null) {
                connection.rollback(savepoint);
            }
            log.warn("The PostgreSQL extension vector is available but could not be installed ({}); an administrator can "
                    + "run 'create extension vector' in this database. Until then knowledge is indexed with Lucene.", ex.getMessage());
        }
    }

    private static boolean exists(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            return rows.next() && rows.getBoolean(1);
        }
    }

    private static String script() {
        try (InputStream in = PgVectorSchema.class.getClassLoader().getResourceAsStream(SCRIPT)) {
            if (in == null) {
                throw new IllegalStateException(SCRIPT + " is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
