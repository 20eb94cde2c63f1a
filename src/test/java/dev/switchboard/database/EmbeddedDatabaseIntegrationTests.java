package dev.switchboard.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import dev.switchboard.Switchboard;
import dev.switchboard.support.SchemaOwner;
import dev.switchboard.support.TestDatabaseInitializer;
import dev.switchboard.tenancy.TenantContext;

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
            assertThat(first.containsBean("embeddedPostgresEarlyStart")).as("started in parallel with the refresh")
                    .isTrue();
            insertTenant(first, "restart-check", "Restart check");
        }
        assertThat(dataDir.resolve("postgres/postmaster.pid")).doesNotExist();
        // The same with the server started when the pool needs it (switchboard.database.embedded.parallel-start).
        try (ConfigurableApplicationContext second = start(dataDir,
                "--switchboard.database.embedded.parallel-start=false")) {
            assertThat(second.containsBean("embeddedPostgresEarlyStart")).isFalse();
            assertThat(tenantNames(second)).contains("Restart check");
            assertThat(jdbc(second).queryForObject("show fsync", String.class)).isEqualTo("on");
            assertThat(asOwner(second, "select version from flyway_schema_history where success")).contains("1", "2");
        }
    }

    @Test
    void recoversFromAnUncleanStop() throws Exception {
        assumeThat(System.getProperty("os.name")).doesNotContainIgnoringCase("windows");
        // The first start's initialisation is the other test's; this one starts from an initialised cluster.
        Path dataDir = TestDatabaseInitializer.initialisedDataDirectory();
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
                assertThat(tenantNames(recovered)).contains("Committed before the crash");
            }
            assertThat(ProcessHandle.of(postmasterPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        }
        finally {
            child.destroyForcibly();
        }
    }

    static ConfigurableApplicationContext start(Path dataDir, String... arguments) {
        List<String> all = new ArrayList<>(
                List.of("--switchboard.data-dir=" + dataDir, "--server.port=0", "--spring.datasource.url="));
        all.addAll(List.of(arguments));
        return new SpringApplicationBuilder(Switchboard.class).run(all.toArray(String[]::new));
    }

    static JdbcTemplate jdbc(ConfigurableApplicationContext context) {
        return context.getBean(JdbcTemplate.class);
    }

    static List<String> tenantNames(ConfigurableApplicationContext context) {
        return asOwner(context, "select name from tenants");
    }

    /** The first column of a query run as the schema owner: the application's own role sees no tenant rows. */
    static List<String> asOwner(ConfigurableApplicationContext context, String sql) {
        return SchemaOwner.strings(jdbc(context), sql);
    }

    static void insertTenant(ConfigurableApplicationContext context, String slug, String name) {
        UUID id = UUID.randomUUID();
        TenantContext.runAs(id, () -> context.getBean(TransactionTemplate.class).executeWithoutResult(status -> jdbc(context).update(
                "insert into tenants (id, slug, name) values (?, ?, ?)", id, slug, name)));
    }

    private static String javaCommand() {
        return ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private static void awaitLine(Path file, String text, Duration timeout, Process process) {
        await("'" + text + "' in " + file).atMost(timeout).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (Files.exists(file) && Files.readString(file).contains(text)) {
                return true;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("The child application exited:\n" + Files.readString(file));
            }
            return false;
        });
    }
}
