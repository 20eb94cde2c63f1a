package dev.switchboard.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import dev.switchboard.Switchboard;
import dev.switchboard.fakellm.Behaviour;
import dev.switchboard.fakellm.FakeLlmServer;
import dev.switchboard.support.Accounts;
import dev.switchboard.support.Accounts.Session;
import dev.switchboard.support.HttpTestClient;
import dev.switchboard.support.TestDatabaseInitializer;
import dev.switchboard.support.Uploads;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import tools.jackson.databind.JsonNode;

/**
 * {@code deploy/backup/backup.sh} and {@code restore.sh} as an operator runs them, with the machine's PostgreSQL client
 * programs against the machine's PostgreSQL server: a populated instance is dumped while it runs, restored into a fresh
 * database by a user that is not a superuser (as the schema owner on a new server would), and the application started on
 * the restore as that user (with the same encryption key) serves the same users, sessions, documents, originals, search
 * and sealed credentials.
 * <p>
 * The restored instance starts on the data directory of the backed-up one, whose Lucene index followed the source
 * database past the backup (a document deleted after it): only the new {@code follow_epoch} restore.sh writes makes it
 * rebuild its index from the restored rows, so search finding the deleted-then-restored document proves the rotation.
 * Before it starts, the restored database gets what a newer release's expand migration would add: the application
 * starts on it as a rolled-back release starts on a schema its successor migrated.
 * <p>
 * Skips without the PostgreSQL client programs or the server on 127.0.0.1:5432; under {@code CI=true} both are required.
 */
class BackupRestoreIntegrationTests {

    static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";
    static final Path SCRIPTS = Path.of("deploy", "backup").toAbsolutePath();
    static final String HANDBOOK = """
            # Staff handbook

            ## Holidays

            Every employee has 27 days of paid holiday a year. Unused days carry over until the end of March.

            ## Bicycles

            The bicycle shed behind building C opens at seven; lights must be switched off inside.
            """;

    final String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    final String source = "backup_src_" + suffix;
    final String target = "backup_dst_" + suffix;
    /** The restoring user, as on a new server: not a superuser, the owner of what it restores (CREATEROLE: see restore.sh). */
    final String owner = "backup_owner_" + suffix;
    final String encryptionKey = randomKey();
    final List<ConfigurableApplicationContext> applications = new ArrayList<>();
    final FakeLlmServer provider = FakeLlmServer.start();

    @BeforeAll
    static void requirePostgres() {
        require(commandWorks("pg_dump", "--version") && commandWorks("pg_restore", "--version") && commandWorks("psql", "--version"),
                "the PostgreSQL client programs pg_dump, pg_restore and psql (Debian: postgresql-client)");
        require(serverAnswers(), "PostgreSQL on 127.0.0.1:5432 with trust authentication for postgres (../shared/services.sh)");
    }

    @AfterEach
    void cleanUp() {
        applications.reversed().forEach(ConfigurableApplicationContext::close);
        provider.close();
        execute("drop database if exists " + source + " with (force)");
        execute("drop database if exists " + target + " with (force)");
        execute("drop role if exists " + owner);
    }

    @Test
    void aPopulatedInstanceIsBackedUpWhileRunningAndRestoredIntoAFreshDatabase(@TempDir Path work) throws Exception {
        execute("create database " + source);
        Path dataDir = TestDatabaseInitializer.freshDataDirectory();
        ConfigurableApplicationContext original = start(source, "postgres", dataDir);
        HttpTestClient http = http(original);
        Accounts accounts = new Accounts(http);

        Session admin = accounts.newTenantAdmin();
        Session member = accounts.newUser(admin, "MEMBER");
        String apiKey = HttpTestClient.json(accounts.send(member, "POST", "/api/keys", "{\"name\":\"laptop\"}")).path("key").asString();
        assertThat(accounts.send(admin, "POST", "/api/providers", "{\"id\":\"mine\",\"kind\":\"openai\",\"baseUrl\":\"" + provider
                .baseUrl() + "/v1\",\"apiKey\":\"sk-sealed-before-the-backup\",\"models\":[{\"name\":\"small\",\"contextLength\":8000,"
                + "\"tools\":false}]}").statusCode()).isEqualTo(201);
        String kb = HttpTestClient.json(accounts.send(admin, "POST", "/api/knowledge-bases", "{\"name\":\"HR\"}")).path("id").asString();
        assertThat(accounts.send(admin, "POST", "/api/personas", "{\"slug\":\"hr\",\"name\":\"HR\",\"chain\":\"local:extractive\","
                + "\"knowledgeBaseIds\":[\"" + kb + "\"]}").statusCode()).isEqualTo(201);
        byte[] handbook = HANDBOOK.getBytes(StandardCharsets.UTF_8);
        String document = HttpTestClient.json(Uploads.document(http, admin.bearer(), kb, "handbook.md", handbook)).path("id").asString();
        await().atMost(Duration.ofSeconds(120)).until(() -> documentStatus(accounts, admin, document).equals("indexed"));
        String session = HttpTestClient.json(accounts.send(member, "POST", "/api/chat", "{\"agent\":\"hr\",\"message\":\"How many "
                + "days of paid holiday does an employee have?\"}")).path("sessionId").asString();
        accounts.send(member, "POST", "/api/chat", "{\"agent\":\"hr\",\"sessionId\":\"" + session + "\",\"message\":\"When does "
                + "the bicycle shed open?\"}");
        List<String> messagesBefore = messages(accounts, member, session);
        assertThat(messagesBefore).hasSize(4);

        Path dump = work.resolve("switchboard.dump");
        Path keyFile = Files.writeString(work.resolve("encryption-key"), encryptionKey);
        Path keyCopy = Files.createDirectory(work.resolve("vault")).resolve("encryption-key");
        Script backup = script("backup.sh", Map.of(), "--url", SERVER + source + "?user=postgres", "--output", dump.toString(),
                "--key-file", keyFile.toString(), "--key-copy-to", keyCopy.toString());
        assertThat(backup.exit()).as(backup.output()).isZero();
        assertThat(backup.output()).contains("Dumped database " + source, "does not hold switchboard.security.encryption-key");
        assertThat(Files.readString(keyCopy)).isEqualTo(encryptionKey);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyCopy))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dump))).isEqualTo("rw-------");
        assertThat(work.resolve("switchboard.dump.partial")).doesNotExist();

        // After the backup: the document goes, and the instance's index follows the deletion.
        assertThat(accounts.send(admin, "DELETE", "/api/documents/" + document, null).statusCode()).isEqualTo(204);
        await().atMost(Duration.ofSeconds(10)).until(() -> search(accounts, admin, kb).path("results").isEmpty());
        original.close();

        execute("create role " + owner + " login createdb createrole");
        Map<String, String> applicationEnvironment = Map.of("SPRING_DATASOURCE_URL", SERVER + target, "SPRING_DATASOURCE_USERNAME",
                owner);
        Script restore = script("restore.sh", applicationEnvironment, "--input", dump.toString(), "--create");
        assertThat(restore.exit()).as(restore.output()).isZero();
        // The bootstrap admin's tenant and user are there too.
        assertThat(restore.output()).contains("created the database " + target, "rotated knowledge_index_state.follow_epoch",
                "2 tenants, 3 users, 1 chat sessions, 1 documents");

        expandAsANewerReleaseWould(target, owner);
        ConfigurableApplicationContext restored = start(target, owner, dataDir);
        HttpTestClient restoredHttp = http(restored);
        Accounts onRestored = new Accounts(restoredHttp);
        Session memberAgain = onRestored.login(member.email(), Accounts.PASSWORD);
        Session adminAgain = onRestored.login(admin.email(), Accounts.PASSWORD);
        assertThat(memberAgain.userId()).isEqualTo(member.userId());
        assertThat(HttpTestClient.json(restoredHttp.get("/api/auth/me", "X-API-Key", apiKey)).path("id").asString())
                .isEqualTo(member.userId().toString());

        assertThat(HttpTestClient.json(onRestored.send(memberAgain, "GET", "/api/sessions", null)).toString()).contains(session);
        assertThat(messages(onRestored, memberAgain, session)).isEqualTo(messagesBefore);

        JsonNode listed = HttpTestClient.json(onRestored.send(adminAgain, "GET", "/api/documents?knowledgeBaseId=" + kb, null));
        assertThat(listed.path("documents").findValuesAsString("id")).containsExactly(document);
        assertThat(download(restored, adminAgain, document)).isEqualTo(handbook);
        JsonNode found = await().atMost(Duration.ofSeconds(30)).until(() -> search(onRestored, adminAgain, kb),
                search -> !search.path("results").isEmpty());
        assertThat(found.path("results").get(0).path("documentId").asString()).isEqualTo(document);
        assertThat(found.path("results").get(0).path("text").asString()).contains("27 days of paid holiday");

        provider.always(Behaviour.reply("The sealed key still opens."));
        JsonNode answer = HttpTestClient.json(onRestored.send(adminAgain, "POST", "/api/providers/test", "{\"prompt\":\"Hi\","
                + "\"chain\":\"mine:small\"}"));
        assertThat(answer.path("content").asString()).isEqualTo("The sealed key still opens.");
        assertThat(provider.received().getLast().headers().get("Authorization")).containsExactly("Bearer sk-sealed-before-the-backup");

        Script again = script("restore.sh", applicationEnvironment, "--input", dump.toString());
        assertThat(again.exit()).as("a database in use is not restored over without --force").isEqualTo(3);
        assertThat(again.output()).contains("is not empty", "--force");
    }

    @Test
    void backupRefusesToKeepTheKeyBesideTheArchiveOrToOverwrite(@TempDir Path work) throws IOException {
        Path keyFile = Files.writeString(work.resolve("key"), encryptionKey);
        Script besideArchive = script("backup.sh", Map.of(), "--url", SERVER + "test?user=postgres", "--output", work.resolve("db.dump")
                .toString(), "--key-file", keyFile.toString(), "--key-copy-to", work.resolve("key-copy").toString());
        assertThat(besideArchive.exit()).isEqualTo(2);
        assertThat(besideArchive.output()).contains("keep the key apart from the backup");
        assertThat(work.resolve("db.dump")).doesNotExist();

        Path existing = Files.writeString(work.resolve("existing.dump"), "an earlier backup");
        Script overwrite = script("backup.sh", Map.of(), "--url", SERVER + "test?user=postgres", "--output", existing.toString());
        assertThat(overwrite.exit()).isEqualTo(2);
        assertThat(overwrite.output()).contains("exists", "--force");
        assertThat(Files.readString(existing)).isEqualTo("an earlier backup");

        Script help = script("restore.sh", Map.of(), "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.output()).contains("Usage:", "--force", "follow_epoch");
    }

    @Test
    void theEmbeddedDatabaseIsDumpedAndRestoredThroughItsPortWhenTheClientIsNewEnoughAndArchivedWhenStopped(@TempDir Path work)
            throws Exception {
        Path dataDir = TestDatabaseInitializer.initialisedDataDirectory();
        Path dump = work.resolve("embedded.dump");
        try (EmbeddedPostgres running = EmbeddedPostgres.builder().setDataDirectory(dataDir.resolve("postgres"))
                .setCleanDataDirectory(false).start()) {
            Script backup = script("backup.sh", Map.of(), "--data-dir", dataDir.toString(), "--output", dump.toString());
            int client = clientMajor("pg_dump");
            if (client >= 17) {
                assertThat(backup.exit()).as(backup.output()).isZero();
                assertThat(run(List.of("pg_restore", "--list", dump.toString()), Map.of()).exit()).isZero();
            }
            else {
                assertThat(backup.exit()).as(backup.output()).isEqualTo(2);
                assertThat(backup.output()).contains("pg_dump is PostgreSQL " + client + ", the server is PostgreSQL 17",
                        "same major version or newer");
                assertThat(dump).doesNotExist();
            }
            execute("create database " + source);
            Path small = work.resolve("small.dump");
            Script smallBackup = script("backup.sh", Map.of(), "--url", SERVER + source + "?user=postgres", "--output", small.toString());
            assertThat(smallBackup.exit()).as(smallBackup.output()).isZero();
            Script intoEmbedded = script("restore.sh", Map.of(), "--input", small.toString(), "--data-dir", dataDir.toString(),
                    "--database", "restored", "--create");
            int restoreClient = clientMajor("pg_restore");
            if (restoreClient >= 17) {
                assertThat(intoEmbedded.exit()).as(intoEmbedded.output()).isZero();
                assertThat(intoEmbedded.output()).contains("created the database restored");
            }
            else {
                assertThat(intoEmbedded.exit()).as(intoEmbedded.output()).isEqualTo(2);
                assertThat(intoEmbedded.output()).contains("pg_restore is PostgreSQL " + restoreClient + ", the server is PostgreSQL 17");
                try (Connection connection = running.getPostgresDatabase().getConnection();
                        Statement statement = connection.createStatement();
                        var result = statement.executeQuery("select count(*) from pg_database where datname = 'restored'")) {
                    result.next();
                    assertThat(result.getInt(1)).as("refused before creating anything").isZero();
                }
            }

            Script cold = script("backup.sh", Map.of(), "--data-dir", dataDir.toString(), "--cold", "--output", work.resolve("cold.tar.gz")
                    .toString());
            assertThat(cold.exit()).as("a running server is not copied").isEqualTo(2);
            assertThat(cold.output()).contains("is running: stop Switchboard first");
        }

        Path archive = work.resolve("cold.tar.gz");
        Script cold = script("backup.sh", Map.of(), "--data-dir", dataDir.toString(), "--cold", "--output", archive.toString());
        assertThat(cold.exit()).as(cold.output()).isZero();
        Path restoredDir = work.resolve("restored");
        Script restore = script("restore.sh", Map.of(), "--input", archive.toString(), "--data-dir", restoredDir.toString(), "--cold");
        assertThat(restore.exit()).as(restore.output()).isZero();
        assertThat(restoredDir.resolve("postgres/PG_VERSION")).hasContent("17");
        Script overExisting = script("restore.sh", Map.of(), "--input", archive.toString(), "--data-dir", restoredDir.toString(), "--cold");
        assertThat(overExisting.exit()).isEqualTo(3);
        assertThat(overExisting.output()).contains("is not empty");
    }

    @Test
    void theConnectionIsReadFromTheApplicationsUrlAndVariablesIntoLibpqsEnvironment() {
        Map<String, String> application = Map.of("SPRING_DATASOURCE_USERNAME", "switchboard", "SPRING_DATASOURCE_PASSWORD", "from-env");
        assertThat(connection("jdbc:postgresql://db.internal:5433/switchboard?user=sb&password=p%40ss%26word&sslmode=verify-full",
                application)).isEqualTo("db.internal|5433|switchboard|sb|p@ss&word|verify-full");
        assertThat(connection("jdbc:postgresql://a:5432,b/switchboard?ssl=true", application))
                .isEqualTo("a,b|5432,5432|switchboard|switchboard|from-env|verify-full");
        assertThat(connection("postgresql://owner:s%3Acret@[::1]:6543/sb?ApplicationName=x", Map.of()))
                .isEqualTo("::1|6543|sb|owner|s:cret|");
        Script noDatabase = run(List.of("bash", "-c", "source ./common.sh; export_connection jdbc:postgresql://db:5432/"), Map.of(),
                SCRIPTS);
        assertThat(noDatabase.exit()).isEqualTo(2);
        assertThat(noDatabase.output()).contains("the URL names no database");
    }

    /** What export_connection (common.sh) hands libpq: host, port, database, user, password and SSL mode. */
    static String connection(String url, Map<String, String> environment) {
        Script script = run(List.of("bash", "-c", "set -euo pipefail; source ./common.sh; export_connection \"$1\" 2> /dev/null; "
                + "echo \"$PGHOST|$PGPORT|$PGDATABASE|$PGUSER|${PGPASSWORD:-}|${PGSSLMODE:-}\"", "connection", url), environment, SCRIPTS);
        assertThat(script.exit()).as(script.output()).isZero();
        return script.output().strip();
    }

    @Test
    void theScriptsPassShellcheck() {
        require(commandWorks("shellcheck", "--version"), "shellcheck (Debian: shellcheck)");
        Script check = run(List.of("shellcheck", "--external-sources", "backup.sh", "restore.sh", "common.sh"), Map.of(), SCRIPTS);
        assertThat(check.exit()).as(check.output()).isZero();
    }

    ConfigurableApplicationContext start(String database, String user, Path dataDir) {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(Switchboard.class).run("--server.port=0",
                "--spring.profiles.active=test", "--spring.datasource.url=" + SERVER + database + "?user=" + user,
                "--switchboard.data-dir=" + dataDir, "--switchboard.security.encryption-key=" + encryptionKey,
                "--switchboard.knowledge.index=lucene", "--switchboard.knowledge.index-follow-interval=200ms");
        applications.add(context);
        return context;
    }

    /**
     * What a newer release's expand-only migration leaves (docs/operations.md "Upgrades and rollback"): a new table, a
     * nullable column, and its row in flyway_schema_history. The release under test then starts on it as a rolled-back
     * release would: Flyway ignores the migration it does not know, and nothing it reads changed.
     */
    static void expandAsANewerReleaseWould(String database, String user) {
        try (Connection connection = DriverManager.getConnection(SERVER + database + "?user=" + user);
                Statement statement = connection.createStatement()) {
            statement.execute("create table newer_release_notes (id uuid primary key, note text not null)");
            statement.execute("alter table chat_sessions add column newer_release_pinned boolean");
            statement.execute("insert into flyway_schema_history (installed_rank, version, description, type, script, checksum, "
                    + "installed_by, execution_time, success) select max(installed_rank) + 1, '999', 'newer release expand', 'SQL', "
                    + "'V999__newer_release_expand.sql', 0, current_user, 1, true from flyway_schema_history");
        }
        catch (SQLException ex) {
            throw new IllegalStateException(ex);
        }
    }

    static String documentStatus(Accounts accounts, Session admin, String id) {
        return HttpTestClient.json(accounts.send(admin, "GET", "/api/documents/" + id, null)).path("status").asString();
    }

    static JsonNode search(Accounts accounts, Session session, String kb) {
        return HttpTestClient.json(accounts.send(session, "POST", "/api/knowledge/search", "{\"query\":\"How many holiday days do I "
                + "get?\",\"knowledgeBaseIds\":[\"" + kb + "\"],\"topK\":3}"));
    }

    static List<String> messages(Accounts accounts, Session session, String id) {
        JsonNode page = HttpTestClient.json(accounts.send(session, "GET", "/api/sessions/" + id + "/messages?after=0&limit=50", null));
        return page.path("messages").valueStream().map(m -> m.path("role").asString() + ": " + m.path("content").asString()).toList();
    }

    static byte[] download(ConfigurableApplicationContext context, Session session, String id) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port(
                context) + "/api/documents/" + id + "/file")).header("Authorization", session.bearer()).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    static HttpTestClient http(ConfigurableApplicationContext context) {
        return new HttpTestClient(port(context));
    }

    static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    /** What a script printed (standard output and error together) and how it ended. */
    record Script(int exit, String output) {
    }

    /** Runs one of the scripts as an operator would, with only PATH, HOME and the given variables in its environment. */
    static Script script(String name, Map<String, String> environment, String... arguments) {
        List<String> command = new ArrayList<>(List.of("bash", SCRIPTS.resolve(name).toString()));
        command.addAll(List.of(arguments));
        return run(command, environment);
    }

    static Script run(List<String> command, Map<String, String> environment) {
        return run(command, environment, Path.of("").toAbsolutePath());
    }

    static Script run(List<String> command, Map<String, String> environment, Path directory) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        Map<String, String> kept = new HashMap<>();
        for (String name : List.of("PATH", "HOME", "LANG")) {
            if (env.containsKey(name)) {
                kept.put(name, env.get(name));
            }
        }
        env.clear();
        env.putAll(kept);
        env.putAll(environment);
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("%s finished", command).isTrue();
            return new Script(process.exitValue(), output);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    /** The major version of a PostgreSQL client program: "pg_dump (PostgreSQL) 15.20 (Debian …)" is 15. */
    static int clientMajor(String program) {
        return Integer.parseInt(run(List.of(program, "--version"), Map.of()).output().replaceAll("(?s)^\\D*(\\d+).*", "$1"));
    }

    static boolean commandWorks(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        }
        catch (IOException ex) {
            return false;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static boolean serverAnswers() {
        try (Connection connection = DriverManager.getConnection(SERVER + "test?user=postgres")) {
            return connection.isValid(5);
        }
        catch (SQLException ex) {
            return false;
        }
    }

    static void require(boolean present, String what) {
        if (!present && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI=true requires " + what);
        }
        assumeThat(present).as(what).isTrue();
    }

    static void execute(String sql) {
        try (Connection connection = DriverManager.getConnection(SERVER + "test?user=postgres");
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
        catch (SQLException ex) {
            throw new IllegalStateException(sql + ": " + ex.getMessage(), ex);
        }
    }

    static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }
}
