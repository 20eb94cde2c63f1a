package dev.switchboard.sql;

import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The databases registered in the SQL tests: the PostgreSQL server on 127.0.0.1:5432 (user postgres, trust, database
 * {@code test}) and the MariaDB server on 127.0.0.1:3306 (root without password, database {@code test}). Tests that
 * need one run when it answers, and must run under CI=true.
 */
public final class RemoteDatabases {

    public static final String POSTGRES_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    public static final String MARIADB_URL = "jdbc:mariadb://127.0.0.1:3306/test?user=root";

    private RemoteDatabases() {
    }

    public static void assumePostgres() {
        assume("PostgreSQL", 5432);
    }

    public static void assumeMariaDb() {
        assume("MariaDB", 3306);
    }

    private static void assume(String name, int port) {
        boolean reachable;
        try (Socket socket = new Socket("127.0.0.1", port)) {
            reachable = true;
        }
        catch (IOException ex) {
            reachable = false;
        }
        if (!reachable && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI=true requires " + name + " on 127.0.0.1:" + port + " (run ../shared/services.sh)");
        }
        assumeThat(reachable).as(name + " on 127.0.0.1:" + port).isTrue();
    }

    /** Runs statements (each separately) on the server at {@code url}. */
    public static void run(String url, String... statements) {
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
        catch (SQLException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** The single number a query on the server at {@code url} returns (a count). */
    public static long count(String url, String query) {
        try (Connection connection = DriverManager.getConnection(url);
                Statement statement = connection.createStatement();
                java.sql.ResultSet rows = statement.executeQuery(query)) {
            rows.next();
            return rows.getLong(1);
        }
        catch (SQLException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
