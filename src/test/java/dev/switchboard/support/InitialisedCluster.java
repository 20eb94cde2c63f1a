package dev.switchboard.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A PostgreSQL cluster initialised once per test JVM ({@code initdb} and the {@code switchboard} database, as the
 * application's first start makes them) and copied into each test's data directory, so that a test application
 * starts its embedded PostgreSQL from an existing cluster instead of running {@code initdb} again: that took about
 * 2.5 of the 3 seconds of each embedded start, and a CI run has ~40 of them (23 cached test contexts and the
 * applications tests start themselves). What the application itself does on a first start (initialising an empty
 * directory) is still run by EmbeddedDatabaseIntegrationTests and the tests that start the application on
 * {@link TestDatabaseInitializer#freshDataDirectory()}.
 */
final class InitialisedCluster {

    /** Not part of a cluster: the library's lock file and the running server's pid file. */
    private static final Set<String> SKIPPED = Set.of("epg-lock", "postmaster.pid");

    private static Path template;

    private InitialisedCluster() {
    }

    /** Copies the cluster (its files, permissions and owner) to {@code target}, which must not exist yet. */
    static void copyTo(Path target) {
        Path source = template();
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (!SKIPPED.contains(file.getFileName().toString())) {
                    Files.copy(file, target.resolve(source.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES,
                            LinkOption.NOFOLLOW_LINKS);
                }
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Could not copy the initialised test cluster to " + target, ex);
        }
    }

    private static synchronized Path template() {
        if (template == null) {
            template = initialise(Path.of("target", "test-data", "initialised-cluster-" + UUID.randomUUID(), "postgres")
                    .toAbsolutePath());
        }
        return template;
    }

    /** Runs initdb, creates the application's database as its first start would, and stops the server cleanly. */
    private static Path initialise(Path directory) {
        try {
            Files.createDirectories(directory);
            try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().setDataDirectory(directory).setCleanDataDirectory(false)
                    .setServerConfig("listen_addresses", "127.0.0.1").start();
                    Connection connection = postgres.getPostgresDatabase().getConnection();
                    Statement statement = connection.createStatement()) {
                statement.execute("create database switchboard encoding 'UTF8'");
            }
            return directory;
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Could not initialise the test cluster in " + directory, ex);
        }
        catch (SQLException ex) {
            throw new IllegalStateException("Could not create the database of the test cluster in " + directory, ex);
        }
    }
}
