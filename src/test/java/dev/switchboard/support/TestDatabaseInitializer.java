package dev.switchboard.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;

import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * Gives each test application context its own database. Embedded (default): a fresh data directory under
 * {@code target/test-data} holding a copy of a cluster initialised once per JVM ({@link InitialisedCluster}), so
 * the application starts its own PostgreSQL as a user's would on a restart, without running initdb each time.
 * External ({@value #EXTERNAL_PROPERTY} set to a JDBC URL of a server with trust auth): a fresh database on
 * that server, dropped when the JVM exits.
 */
public class TestDatabaseInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    public static final String EXTERNAL_PROPERTY = "switchboard.test.external-database";

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        String external = System.getProperty(EXTERNAL_PROPERTY, "");
        // Every context gets its own data directory (with an external database too: the index and the stored
        // documents live there, and two contexts cannot share a Lucene index).
        Map<String, Object> properties = external.isBlank()
                ? Map.of("switchboard.data-dir", initialisedDataDirectory().toString())
                : Map.of("spring.datasource.url", freshExternalDatabase(external),
                        "switchboard.data-dir", freshDataDirectory().toString());
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("test-database", properties));
    }

    /**
     * The command-line arguments that give an application started by a test its own database, the same
     * way as {@link #initialize} does for test contexts.
     */
    public static String[] freshDatabaseArguments() {
        String external = System.getProperty(EXTERNAL_PROPERTY, "");
        return external.isBlank() ? new String[] {"--switchboard.data-dir=" + initialisedDataDirectory()}
                : new String[] {"--spring.datasource.url=" + freshExternalDatabase(external),
                        "--switchboard.data-dir=" + freshDataDirectory()};
    }

    /** Whether this JVM runs the integration tests against an external server. */
    public static boolean external() {
        return !System.getProperty(EXTERNAL_PROPERTY, "").isBlank();
    }

    /** A data directory that does not exist yet: the application initialises everything on its first start. */
    public static Path freshDataDirectory() {
        return Path.of("target", "test-data", UUID.randomUUID().toString()).toAbsolutePath();
    }

    /**
     * A fresh data directory that already holds an initialised PostgreSQL cluster with an empty {@code switchboard}
     * database, as after a first start that stopped before its migrations: the application starts the server and
     * migrates as usual.
     */
    public static Path initialisedDataDirectory() {
        Path directory = freshDataDirectory();
        try {
            Files.createDirectories(directory);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        InitialisedCluster.copyTo(directory.resolve("postgres"));
        return directory;
    }

    /** Creates a uniquely named database on the server and returns its JDBC URL. */
    public static String freshExternalDatabase(String serverUrl) {
        String name = "switchboard_test_" + UUID.randomUUID().toString().replace("-", "");
        execute(serverUrl, "create database " + name);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> execute(serverUrl,
                "drop database if exists " + name + " with (force)")));
        return replaceDatabase(serverUrl, name);
    }

    static String replaceDatabase(String serverUrl, String database) {
        int query = serverUrl.indexOf('?');
        String base = query < 0 ? serverUrl : serverUrl.substring(0, query);
        String parameters = query < 0 ? "" : serverUrl.substring(query);
        return base.substring(0, base.lastIndexOf('/') + 1) + database + parameters;
    }

    private static void execute(String url, String sql) {
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
        catch (SQLException ex) {
            throw new IllegalStateException("Test database setup failed on " + url + ": " + ex.getMessage(), ex);
        }
    }
}
