package dev.switchboard.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import org.awaitility.core.ConditionTimeoutException;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.callback.Callback;
import org.junit.jupiter.api.Assumptions;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * A PostgreSQL with the {@code vector} extension for tests, where the machine's PostgreSQL has none: PGlite
 * (PostgreSQL compiled to WebAssembly, with pgvector) served over the wire protocol by the small node project in
 * {@code src/test/pglite} ({@code npm ci} there installs it). One server per JVM, in memory, started on first use
 * and stopped when the JVM exits (or, should the JVM die, when its standard input closes). It has the application's
 * schema: the Flyway migrations, applied with the given callbacks as the application applies them.
 * <p>
 * PGlite is a single PostgreSQL session: connections take turns (a transaction runs to its end before another
 * connection's statements) and share session state such as the role. Flyway, which uses two connections, runs first, as
 * the owner; then all tests share one pooled connection as the application's role.
 * <p>
 * Without node or the installed packages the tests that need it are skipped with the reason, except under
 * {@code CI=true}, where that is a failure.
 */
public final class PGliteServer {

    static final Path PROJECT = Path.of("src", "test", "pglite").toAbsolutePath();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final String NOT_INSTALLED = "PGlite is not installed: run 'npm ci' in " + PROJECT;

    private static PGliteServer shared;
    private static String unavailable;
    private static RuntimeException failure;

    private final String jdbcUrl;
    private final HikariDataSource applicationDataSource;

    private PGliteServer(int port, Callback... callbacks) {
        this.jdbcUrl = "jdbc:postgresql://127.0.0.1:" + port + "/postgres?sslmode=disable&gssEncMode=disable&prepareThreshold=0";
        // Flyway's lock as a session lock, not a transaction left open on its second connection: in one shared session
        // that open transaction would make the migration's connection wait for ever.
        Flyway.configure().dataSource(jdbcUrl, "postgres", "").locations("classpath:db/migration").callbacks(callbacks)
                .configuration(Map.of("flyway.postgresql.transactional.lock", "false")).load().migrate();
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl(jdbcUrl);
        pool.setUsername("postgres");
        pool.setMaximumPoolSize(1);
        pool.setConnectionInitSql("set role switchboard_app");
        pool.setPoolName("pglite");
        this.applicationDataSource = new HikariDataSource(pool);
    }

    /**
     * The JVM's server, started (and migrated with {@code callbacks}) on the first call; aborts the calling test
     * when PGlite cannot run here and this is not CI.
     */
    public static synchronized PGliteServer shared(Callback... callbacks) {
        if (shared == null && unavailable == null && failure == null) {
            try {
                shared = start(callbacks);
            }
            catch (Unavailable ex) {
                unavailable = ex.getMessage();
            }
            catch (RuntimeException ex) {
                failure = ex;
            }
        }
        if (failure != null) {
            throw new IllegalStateException("PGlite failed to start (once for this JVM): " + failure.getMessage(), failure);
        }
        if (shared == null) {
            if (ci()) {
                throw new IllegalStateException("PGlite (for the pgvector tests) is required under CI=true: " + unavailable);
            }
            Assumptions.abort("Skipped: " + unavailable);
        }
        return shared;
    }

    /**
     * Why PGlite cannot run here (nothing installed, no node), for test engines that skip rather than abort; empty
     * when it can, and always under {@code CI=true} (where the tests must run, and fail if it does not start).
     */
    public static Optional<String> whyUnavailable() {
        if (ci()) {
            return Optional.empty();
        }
        if (!installed()) {
            return Optional.of(NOT_INSTALLED);
        }
        try {
            Process node = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            node.getInputStream().readAllBytes();
            return node.waitFor() == 0 ? Optional.empty() : Optional.of("node --version failed: install Node.js 20 or later");
        }
        catch (IOException ex) {
            return Optional.of("node could not be started (" + ex.getMessage() + "): install Node.js 20 or later");
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        }
    }

    /** Connections as the application's role {@code switchboard_app} (row-level security applies); one at a time. */
    public DataSource applicationDataSource() {
        return applicationDataSource;
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    private static PGliteServer start(Callback... callbacks) throws Unavailable {
        if (!installed()) {
            throw new Unavailable(NOT_INSTALLED);
        }
        int port = freePort();
        Path log = Path.of("target", "pglite-" + port + ".log").toAbsolutePath();
        Process process;
        try {
            Files.createDirectories(log.getParent());
            process = new ProcessBuilder("node", "server.js", "--port", Integer.toString(port), "--max-connections", "4").directory(PROJECT
                    .toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        }
        catch (IOException ex) {
            throw new Unavailable("node could not be started (" + ex.getMessage() + "): install Node.js 20 or later");
        }
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
        try {
            awaitReady(process, log);
            return new PGliteServer(port, callbacks);
        }
        catch (RuntimeException ex) {
            process.destroy();
            throw ex;
        }
    }

    private static boolean installed() {
        return Files.isDirectory(PROJECT.resolve("node_modules/@electric-sql/pglite-socket"));
    }

    private static boolean ci() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    private static void awaitReady(Process process, Path log) {
        try {
            await("PGlite is ready").atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> {
                if (Files.exists(log) && Files.readString(log).contains("ready on")) {
                    return true;
                }
                if (!process.isAlive()) {
                    throw new IllegalStateException("PGlite exited with " + process.exitValue() + ": " + Files.readString(log));
                }
                return false;
            });
        }
        catch (ConditionTimeoutException ex) {
            process.destroy();
            throw new IllegalStateException("PGlite did not start within " + START_TIMEOUT.toSeconds() + " s; see " + log, ex);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
        catch (IOException ex) {
            throw new IllegalStateException("No free port for PGlite", ex);
        }
    }

    /** PGlite cannot run on this machine (as opposed to failing when it runs). */
    private static final class Unavailable extends Exception {

        Unavailable(String message) {
            super(message);
        }
    }
}
