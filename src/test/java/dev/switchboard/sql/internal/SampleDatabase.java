package dev.switchboard.sql.internal;

import static org.assertj.core.api.Assumptions.assumeThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import dev.switchboard.sql.internal.guard.GuardPolicy;

/**
 * The sample schema the SQL guard and executor tests run against, on the machine's PostgreSQL (127.0.0.1:5432,
 * database {@code test}, schema {@code sqlguard_sample}) or MariaDB (127.0.0.1:3306, database
 * {@code sqlguard_sample}), each suffixed with the fork number under parallel forks. Dropped and recreated by each test class; tests skip with a message when the server is
 * absent, and fail under {@code CI=true}, where it must be there.
 * <p>
 * Two logins: the owner (superuser / root), which creates the schema and computes checksums, and
 * {@code sqlguard_reader} (likewise suffixed), a least-privilege role with SELECT on the sample tables only — the role docs/sql.md
 * tells admins to register.
 */
public enum SampleDatabase {

    POSTGRESQL(DatabaseKind.POSTGRESQL, "jdbc:postgresql://127.0.0.1:5432/test", "postgres",
            "jdbc:postgresql://127.0.0.1:5432/test?currentSchema=" + Names.SCHEMA, Names.SCHEMA),
    MARIADB(DatabaseKind.MARIADB, "jdbc:mariadb://127.0.0.1:3306/test", "root",
            "jdbc:mariadb://127.0.0.1:3306/" + Names.SCHEMA, Names.SCHEMA);

    public static final String READER = Names.READER;

    public static final String READER_PASSWORD = "sqlguard-reader-test";

    /** The tables the sample policy lets questions read; {@code secrets} and {@code audit_log} are left out. */
    public static final List<TableAccess> ALLOWED = List.of(
            new TableAccess("customers", List.of(), List.of("email")),
            new TableAccess("orders", List.of(), List.of()),
            new TableAccess("products", List.of(), List.of()),
            new TableAccess("order_items", List.of(), List.of()),
            new TableAccess("employees", List.of("id", "name", "dept", "manager_id"), List.of()));

    private static final List<String> TABLES = List.of("customers", "orders", "products", "order_items", "employees",
            "secrets", "audit_log");

    /**
     * The schema (MariaDB: database) and reader role of this test JVM: {@code sqlguard_sample} and {@code sqlguard_reader},
     * suffixed with the Surefire fork number ({@code switchboard.test.fork}) when the tests run in parallel forks, so
     * that two forks never drop each other's sample.
     */
    private static final class Names {

        static final String SUFFIX = System.getProperty("switchboard.test.fork", "").replaceAll("[^0-9]", "");

        static final String SCHEMA = "sqlguard_sample" + (SUFFIX.isEmpty() ? "" : "_" + SUFFIX);

        static final String READER = "sqlguard_reader" + (SUFFIX.isEmpty() ? "" : "_" + SUFFIX);
    }

    private final DatabaseKind kind;

    private final String ownerUrl;

    private final String owner;

    private final String sampleUrl;

    private final String schema;

    SampleDatabase(DatabaseKind kind, String ownerUrl, String owner, String sampleUrl, String schema) {
        this.kind = kind;
        this.ownerUrl = ownerUrl;
        this.owner = owner;
        this.sampleUrl = sampleUrl;
        this.schema = schema;
    }

    public DatabaseKind kind() {
        return this.kind;
    }

    public GuardPolicy policy(int maxRows) {
        return new GuardPolicy(this.kind, ALLOWED, maxRows);
    }

    /** Skips the test when the server is absent (fails under {@code CI=true}). */
    public void assumeAvailable() {
        assumeThat(available()).as(absence()).isTrue();
    }

    /** Whether the server answers; under {@code CI=true} an absent server is a failure, not a skip. */
    public boolean available() {
        boolean reachable;
        try (Connection ignored = DriverManager.getConnection(this.ownerUrl, this.owner, "")) {
            reachable = true;
        }
        catch (SQLException ex) {
            reachable = false;
        }
        if (!reachable && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI=true requires " + absence());
        }
        return reachable;
    }

    /** The skip message. */
    public String absence() {
        return name() + " at " + this.ownerUrl + " (run ../shared/services.sh)";
    }

    /**
     * A statement of a corpus, which names the sample as {@code sqlguard_sample} and {@code sqlguard_reader}, aimed at
     * this JVM's sample (they differ under parallel forks).
     */
    public String localised(String sql) {
        return sql.replace("sqlguard_sample", this.schema).replace("sqlguard_reader", READER);
    }

    /** A connection as the owner, in the sample schema. */
    public Connection owner() throws SQLException {
        return DriverManager.getConnection(this.sampleUrl, this.owner, "");
    }

    /** A connection as the least-privilege reader, in the sample schema. */
    public Connection reader() throws SQLException {
        return DriverManager.getConnection(this.sampleUrl, READER, READER_PASSWORD);
    }

    /** Drops and recreates the sample schema, its rows and the reader role. */
    public void recreate() throws SQLException {
        try (Connection connection = DriverManager.getConnection(this.ownerUrl, this.owner, "");
                Statement statement = connection.createStatement()) {
            for (String sql : this.kind == DatabaseKind.POSTGRESQL ? postgresSetup() : mariadbSetup()) {
                statement.execute(sql);
            }
            for (String sql : rows()) {
                statement.execute(sql.replace("~", this.schema + "."));
            }
        }
    }

    private List<String> postgresSetup() {
        List<String> sql = new ArrayList<>();
        sql.add("DROP SCHEMA IF EXISTS " + this.schema + " CASCADE");
        sql.add("DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '" + READER + "') THEN "
                + "EXECUTE 'DROP OWNED BY " + READER + "'; DROP ROLE " + READER + "; END IF; END $$");
        sql.add("CREATE SCHEMA " + this.schema);
        sql.addAll(ddl("SERIAL PRIMARY KEY", "TIMESTAMP", "BYTEA").stream().map(s -> s.replace("~", this.schema + ".")).toList());
        sql.add("CREATE ROLE " + READER + " LOGIN PASSWORD '" + READER_PASSWORD + "' NOSUPERUSER NOCREATEDB NOCREATEROLE");
        sql.add("GRANT USAGE ON SCHEMA " + this.schema + " TO " + READER);
        sql.add("GRANT SELECT ON ALL TABLES IN SCHEMA " + this.schema + " TO " + READER);
        sql.add("ALTER ROLE " + READER + " SET default_transaction_read_only = on");
        return sql;
    }

    private List<String> mariadbSetup() {
        List<String> sql = new ArrayList<>();
        sql.add("DROP DATABASE IF EXISTS " + this.schema);
        sql.add("DROP USER IF EXISTS '" + READER + "'@'%'");
        sql.add("DROP USER IF EXISTS '" + READER + "'@'localhost'");
        sql.add("CREATE DATABASE " + this.schema);
        sql.addAll(ddl("INT AUTO_INCREMENT PRIMARY KEY", "DATETIME", "BLOB").stream().map(s -> s.replace("~", this.schema + ".")).toList());
        for (String host : List.of("%", "localhost")) {
            sql.add("CREATE USER '" + READER + "'@'" + host + "' IDENTIFIED BY '" + READER_PASSWORD + "'");
            sql.add("GRANT SELECT ON " + this.schema + ".* TO '" + READER + "'@'" + host + "'");
        }
        return sql;
    }

    private static List<String> ddl(String key, String timestamp, String binary) {
        return List.of(
                "CREATE TABLE ~customers (id " + key + ", name VARCHAR(100) NOT NULL, email VARCHAR(200), "
                        + "city VARCHAR(100), created_at " + timestamp + " NOT NULL)",
                "CREATE TABLE ~products (id " + key + ", name VARCHAR(100) NOT NULL, price NUMERIC(10,2) NOT NULL, "
                        + "category VARCHAR(50))",
                "CREATE TABLE ~orders (id " + key + ", customer_id INT NOT NULL, status VARCHAR(20) NOT NULL, "
                        + "total NUMERIC(10,2) NOT NULL, created_at " + timestamp + " NOT NULL, note TEXT)",
                "CREATE TABLE ~order_items (order_id INT NOT NULL, product_id INT NOT NULL, quantity INT NOT NULL, "
                        + "PRIMARY KEY (order_id, product_id))",
                "CREATE TABLE ~employees (id " + key + ", name VARCHAR(100) NOT NULL, dept VARCHAR(50) NOT NULL, "
                        + "manager_id INT, salary NUMERIC(10,2) NOT NULL, ssn VARCHAR(20) NOT NULL)",
                "CREATE TABLE ~secrets (id INT PRIMARY KEY, label VARCHAR(50), value VARCHAR(200), blob_value "
                        + binary + ")",
                "CREATE TABLE ~audit_log (id INT PRIMARY KEY, message VARCHAR(200))");
    }

    private static List<String> rows() {
        return List.of("INSERT INTO ~customers (name, email, city, created_at) VALUES "
                + "('Ada Lovelace', 'ada@example.com', 'London', '2025-01-05 10:00:00'), "
                + "('Grace Hopper', 'grace@example.com', 'New York', '2025-02-11 09:30:00'), "
                + "('Alan Turing', 'alan@example.com', 'London', '2025-03-20 14:00:00'), "
                + "('Edsger Dijkstra', 'edsger@example.com', 'Amsterdam', '2025-03-28 08:15:00'), "
                + "('Barbara Liskov', 'barbara@example.com', 'Boston', '2025-04-02 16:45:00'), "
                + "('Donald Knuth', NULL, 'Stanford', '2025-05-17 11:20:00'), "
                + "('Margaret Hamilton', 'margaret@example.com', 'Boston', '2025-06-30 13:05:00'), "
                + "('Ken Thompson', 'ken@example.com', 'Berkeley', '2025-07-14 07:50:00')",
                "INSERT INTO ~products (name, price, category) VALUES ('Keyboard', 49.90, 'hardware'), "
                        + "('Mouse', 19.50, 'hardware'), ('Monitor', 189.00, 'hardware'), "
                        + "('IDE licence', 99.00, 'software'), ('Compiler book', 65.25, 'books'), "
                        + "('Algorithms book', 80.00, 'books')",
                "INSERT INTO ~orders (customer_id, status, total, created_at, note) VALUES "
                        + "(1, 'shipped', 69.40, '2025-02-01 10:00:00', 'gift wrap'), "
                        + "(1, 'shipped', 189.00, '2025-03-15 12:00:00', NULL), "
                        + "(2, 'pending', 99.00, '2025-04-01 09:00:00', NULL), "
                        + "(3, 'shipped', 145.25, '2025-04-10 15:30:00', 'leave at door'), "
                        + "(4, 'cancelled', 19.50, '2025-05-05 18:00:00', NULL), "
                        + "(5, 'shipped', 288.90, '2025-06-01 11:11:00', NULL), "
                        + "(6, 'pending', 80.00, '2025-07-07 07:07:00', NULL), "
                        + "(7, 'shipped', 49.90, '2025-08-08 08:08:00', NULL), "
                        + "(3, 'shipped', 164.00, '2025-09-09 09:09:00', NULL), "
                        + "(2, 'shipped', 19.50, '2025-10-10 10:10:00', NULL)",
                "INSERT INTO ~order_items VALUES (1, 1, 1), (1, 2, 1), (2, 3, 1), (3, 4, 1), (4, 5, 1), (4, 6, 1), "
                        + "(5, 2, 1), (6, 3, 1), (6, 4, 1), (7, 6, 1), (8, 1, 1), (9, 5, 1), (9, 4, 1), "
                        + "(10, 2, 1)",
                "INSERT INTO ~employees (name, dept, manager_id, salary, ssn) VALUES "
                        + "('Jane Boss', 'management', NULL, 250000, '111-11-1111'), "
                        + "('Sam Sales', 'sales', 1, 90000, '222-22-2222'), "
                        + "('Dee Dev', 'engineering', 1, 150000, '333-33-3333'), "
                        + "('Ollie Ops', 'engineering', 3, 120000, '444-44-4444')",
                "INSERT INTO ~secrets VALUES (1, 'api-key', 'sk-live-DO-NOT-LEAK', NULL)",
                "INSERT INTO ~audit_log VALUES (1, 'created')");
    }

    /**
     * A fingerprint of the whole sample: how many tables, views and routines the schema holds and every row of
     * each sample table.
     */
    public String checksum() throws SQLException {
        try (Connection connection = checksumConnection()) {
            return checksum(connection);
        }
    }

    /** A connection as the owner, outside the sample schema, for {@link #checksum(Connection)}. */
    public Connection checksumConnection() throws SQLException {
        return DriverManager.getConnection(this.ownerUrl, this.owner, "");
    }

    /** {@link #checksum()} on an open {@link #checksumConnection()}, for tests that take many in a row. */
    public String checksum(Connection connection) throws SQLException {
        StringBuilder fingerprint = new StringBuilder();
        try (Statement statement = connection.createStatement()) {
            fingerprint.append(single(statement, "SELECT count(*) FROM information_schema.tables WHERE table_schema "
                    + "= '" + this.schema + "'"));
            fingerprint.append('|').append(single(statement, "SELECT count(*) FROM information_schema.routines WHERE "
                    + "routine_schema = '" + this.schema + "'"));
            for (String table : TABLES) {
                fingerprint.append('|').append(table).append('=').append(tableChecksum(statement, table));
            }
        }
        return fingerprint.toString();
    }

    private String tableChecksum(Statement statement, String table) throws SQLException {
        String qualified = this.schema + "." + table;
        try {
            return this.kind == DatabaseKind.POSTGRESQL
                    ? single(statement, "SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY "
                            + "t::text)), '-') FROM " + qualified + " t")
                    : single(statement, "CHECKSUM TABLE " + qualified, 2);
        }
        catch (SQLException missing) {
            return "missing";
        }
    }

    private static String single(Statement statement, String sql) throws SQLException {
        return single(statement, sql, 1);
    }

    private static String single(Statement statement, String sql, int column) throws SQLException {
        try (ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(column);
        }
    }

}
