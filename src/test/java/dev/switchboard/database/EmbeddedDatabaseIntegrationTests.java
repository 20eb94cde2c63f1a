package dev.switchboard.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.switchboard.Switchboard;
import dev.switchboard.support.TestDatabaseInitializer;

import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The embedded shape as a user runs it: first start initialises the cluster, the data survives a restart,
 * a clean stop stops PostgreSQL, and an unclean stop (the JVM killed with SIGKILL) leaves an orphaned
 * server that the next start finds, stops and recovers from without losing committed data.
 */
class EmbeddedDatabaseIntegrationTests {

    @Test
    void keepsDataAcrossRestartsAndStopsCleanly() {
        Path dataDir = TestDatabaseInitializer.freshDataDirectory();
        try (ConfigurableApplicationContext first = start(dataDir)) {
            jdbc(first).update("insert into tenants (slug, name) values ('restart-check', 'Restart check')");
        }
        assertThat(dataDir.resolve("postgres/postmaster.pid")).doesNotExist();
        try (ConfigurableApplicationContext second = start(dataDir)) {
            assertThat(jdbc(second).queryForObject("select name from tenants where slug = 'restart-check'",
                    String.class)).isEqualTo("Restart check");
            assertThat(jdbc(second).queryForObject("show fsync", String.class)).isEqualTo("on");
            assertThat(jdbc(second).queryForObject("select count(*) from flyway_schema_history where success",
                    Integer.class)).isPositive();
        }
    }

    @Test
    void recoversFromAnUncleanStop() throws Exception {
        assumeThat(System.getProperty("os.name")).doesNotContainIgnoringCase("windows");
        Path dataDir = TestDatabaseInitializer.freshDataDirectory();
        Files.createDirectories(dataDir);
        Path output = dataDir.resolveSibling(dataDir.getFileName() + "-child.log");
        Process child = new ProcessBuilder(javaCommand(), "-cp", System.getProperty("java.class.path"),
                Switchboard.class.getName(), "--switchboard.data-dir=" + dataDir, "--server.port=0")
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        try {
            awaitLine(output, "Started Switchboard", Duration.ofSeconds(120), child);
            List<String> pidFile = Files.readAllLines(dataDir.resolve("postgres/postmaster.pid"));
            long postmasterPid = Long.parseLong(pidFile.get(0).strip());
            int port = Integer.parseInt(pidFile.get(3).strip());
            try (Connection connection = DriverManager.getConnection(
                    "jdbc:postgresql://127.0.0.1:" + port + "/switchboard?user=postgres")) {
                connection.createStatement().execute(
                        "insert into tenants (slug, name) values ('before-crash', 'Committed before the crash')");
            }

            child.destroyForcibly().waitFor();
            assertThat(ProcessHandle.of(postmasterPid).map(ProcessHandle::isAlive)).as("orphaned postmaster")
                    .hasValue(true);

            try (ConfigurableApplicationContext recovered = start(dataDir)) {
                assertThat(jdbc(recovered).queryForObject("select name from tenants where slug = 'before-crash'",
                        String.class)).isEqualTo("Committed before the crash");
            }
            assertThat(ProcessHandle.of(postmasterPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        }
        finally {
            child.destroyForcibly();
        }
    }

    static ConfigurableApplicationContext start(Path dataDir) {
        return new SpringApplicationBuilder(Switchboard.class)
                .run("--switchboard.data-dir=" + dataDir, "--server.port=0", "--spring.datasource.url=");
    }

    static JdbcTemplate jdbc(ConfigurableApplicationContext context) {
        return context.getBean(JdbcTemplate.class);
    }

    private static String javaCommand() {
        return ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private static void awaitLine(Path file, String text, Duration timeout, Process process)
            throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (Files.exists(file) && Files.readString(file).contains(text)) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("The child application exited:\n" + Files.readString(file));
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("No '" + text + "' within " + timeout + ":\n" + Files.readString(file));
    }
}
