package dev.switchboard.sql;

import static dev.switchboard.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.switchboard.support.Accounts.Session;
import dev.switchboard.support.ApiTestSupport;
import dev.switchboard.support.HttpTestClient;
import dev.switchboard.support.IntegrationTest;
import dev.switchboard.support.SchemaOwner;
import tools.jackson.databind.JsonNode;

/**
 * Administrators register PostgreSQL databases over {@code /api/sql/connections}: each is tested on save (a real
 * connection to the server on 127.0.0.1:5432 and a read of its catalogue) and nothing is saved when that fails; the
 * password is stored sealed and never returned; members see only what is shared with them; another tenant sees
 * nothing; a dead database answers 503 quickly and is used again once it is back.
 */
@IntegrationTest
class SqlConnectionsIntegrationTests extends ApiTestSupport {

    static final String SCHEMA = "sc_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    static final String SECRET = "pg-secret-0123456789";

    @Autowired
    JdbcTemplate jdbc;

    Session admin;

    @BeforeAll
    static void sampleSchema() {
        RemoteDatabases.assumePostgres();
        RemoteDatabases.run(RemoteDatabases.POSTGRES_URL,
                "create schema " + SCHEMA,
                "create table " + SCHEMA + ".customers (id integer primary key, name text not null, email text, region text)",
                "comment on table " + SCHEMA + ".customers is 'People and companies who buy from us'",
                "comment on column " + SCHEMA + ".customers.email is 'Contact e-mail address'",
                "create table " + SCHEMA + ".orders (id integer primary key, customer_id integer not null references "
                        + SCHEMA + ".customers (id), total numeric(10,2) not null, placed_at timestamp)",
                "comment on table " + SCHEMA + ".orders is 'Orders placed by customers'",
                "create table " + SCHEMA + ".audit_secrets (id integer primary key, customer_id integer references "
                        + SCHEMA + ".customers (id), secret text)",
                "create table " + SCHEMA + ".products (id integer primary key, title text)");
    }

    @AfterAll
    static void dropSchema() {
        RemoteDatabases.run(RemoteDatabases.POSTGRES_URL, "drop schema if exists " + SCHEMA + " cascade");
    }

    @BeforeEach
    void admin() {
        admin = accounts.newTenantAdmin();
    }

    static String connection(String name, int port, String extra) {
        return """
                {"name":"%s","kind":"postgresql","host":"127.0.0.1","port":%d,"database":"test","username":"postgres",
                 "tlsMode":"disable","allowedTables":[{"table":"%s.customers","maskedColumns":["email"]},
                 {"table":"%s.orders","columns":["id","customer_id","total"]}]%s}"""
                .formatted(name, port, SCHEMA, SCHEMA, extra);
    }

    HttpResponse<String> register(Session session, String body) {
        return accounts.send(session, "POST", "/api/sql/connections", body);
    }

    String registered(String name, String extra) {
        HttpResponse<String> created = register(admin, connection(name, 5432, extra));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return HttpTestClient.json(created).path("id").asString();
    }

    @Test
    void aDatabaseIsTestedOnSaveItsPasswordSealedAndNeverReturned() {
        HttpResponse<String> created = register(admin, connection("sales", 5432, ",\"password\":\"" + SECRET + "\""));

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode view = HttpTestClient.json(created);
        assertThat(view.path("passwordSet").asBoolean()).isTrue();
        assertThat(view.path("kind").asString()).isEqualTo("postgresql");
        assertThat(view.path("tlsMode").asString()).isEqualTo("disable");
        assertThat(view.path("maxRows").asInt()).isEqualTo(1000);
        assertThat(view.path("statementTimeout").asString()).isEqualTo("PT30S");
        assertThat(view.path("schemaReadAt").isMissingNode()).isFalse();
        String id = view.path("id").asString();
        for (String path : List.of("/api/sql/connections", "/api/sql/connections/" + id, "/api/sql/connections/" + id + "/schema")) {
            HttpResponse<String> response = accounts.send(admin, "GET", path, null);
            assertThat(response.statusCode()).as(path).isEqualTo(200);
            assertThat(response.body()).as(path).doesNotContain(SECRET).doesNotContain("\"password\"");
        }
        byte[] stored = SchemaOwner.query(jdbc, "select password_sealed from sql_connections where id = '" + id + "'",
                rows -> rows.next() ? rows.getBytes(1) : null);
        assertThat(stored).isNotEmpty();
        assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain(SECRET);
    }

    @Test
    void theCatalogueHasTheAllowedTablesColumnsKeysAndComments() {
        String id = registered("catalogue", "");

        JsonNode schema = HttpTestClient.json(accounts.send(admin, "GET", "/api/sql/connections/" + id + "/schema", null));

        JsonNode customers = schema.path("tables").get(0);
        assertThat(customers.path("name").asString()).isEqualTo(SCHEMA + ".customers");
        assertThat(customers.path("comment").asString()).isEqualTo("People and companies who buy from us");
        assertThat(customers.path("primaryKey").toString()).isEqualTo("[\"id\"]");
        assertThat(names(customers.path("columns"))).containsExactly("id", "name", "email", "region");
        JsonNode email = customers.path("columns").get(2);
        assertThat(email.path("comment").asString()).isEqualTo("Contact e-mail address");
        assertThat(email.path("masked").asBoolean()).isTrue();
        assertThat(email.path("nullable").asBoolean()).isTrue();
        assertThat(customers.path("columns").get(1).path("nullable").asBoolean()).isFalse();
        assertThat(customers.path("foreignKeys")).isEmpty();

        JsonNode orders = schema.path("tables").get(1);
        assertThat(orders.path("comment").asString()).isEqualTo("Orders placed by customers");
        assertThat(names(orders.path("columns"))).containsExactly("id", "customer_id", "total");
        assertThat(orders.path("columns").get(2).path("type").asString()).isEqualTo("numeric(10,2)");
        JsonNode key = orders.path("foreignKeys").get(0);
        assertThat(key.path("columns").toString()).isEqualTo("[\"customer_id\"]");
        assertThat(key.path("referencedTable").asString()).isEqualTo(SCHEMA + ".customers");
        assertThat(key.path("referencedColumns").toString()).isEqualTo("[\"id\"]");
        assertThat(schema.toString()).as("a table that is not allowed is never named").doesNotContain("audit_secrets");
    }

    @Test
    void aRefreshPicksUpANewColumnAndAnUpdateKeepsThePassword() {
        String products = connection("refreshed", 5432, ",\"password\":\"" + SECRET + "\"").replace(SCHEMA + ".customers",
                SCHEMA + ".products").replace(",\"maskedColumns\":[\"email\"]", "");
        HttpResponse<String> created = register(admin, products.replace(",{\"table\":\"" + SCHEMA + ".orders\",\"columns\":"
                + "[\"id\",\"customer_id\",\"total\"]}", ""));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = HttpTestClient.json(created).path("id").asString();
        RemoteDatabases.run(RemoteDatabases.POSTGRES_URL, "alter table " + SCHEMA + ".products add column if not exists vip boolean");

        HttpResponse<String> refreshed = accounts.send(admin, "POST", "/api/sql/connections/" + id + "/refresh", null);

        assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
        assertThat(names(HttpTestClient.json(refreshed).path("tables").get(0).path("columns"))).contains("vip");
        byte[] before = sealedPassword(id);
        HttpResponse<String> updated = accounts.send(admin, "PUT", "/api/sql/connections/" + id,
                connection("refreshed", 5432, ",\"maxRows\":50,\"statementTimeout\":\"PT5S\""));
        assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
        JsonNode view = HttpTestClient.json(updated);
        assertThat(view.path("passwordSet").asBoolean()).isTrue();
        assertThat(view.path("maxRows").asInt()).isEqualTo(50);
        assertThat(view.path("statementTimeout").asString()).isEqualTo("PT5S");
        assertThat(sealedPassword(id)).isNotEmpty().isNotEqualTo(before);

        HttpResponse<String> removed = accounts.send(admin, "PUT", "/api/sql/connections/" + id,
                connection("refreshed", 5432, ",\"password\":\"\""));
        assertThat(HttpTestClient.json(removed).path("passwordSet").asBoolean()).isFalse();
    }

    @Test
    void badRequestsAreRefusedWithTheFieldsToFix() {
        assertProblem(register(admin, "{}"), 400, "validation");
        JsonNode problem = assertProblem(register(admin, """
                {"name":"Bad Name","kind":"postgresql","host":"http://db.example.com","port":0,"database":"test",
                 "username":"postgres","allowedTables":[{"table":"orders; drop table x"}]}"""), 400, "validation");
        assertThat(problem.path("errors").toString()).contains("name", "host", "port", "allowedTables[0].table");
        assertProblem(register(admin, connection("kind", 5432, "").replace("postgresql", "oracle")), 400, "malformed-body");
        assertThat(assertProblem(register(admin, connection("rows", 5432, ",\"maxRows\":10000000")), 400, "validation")
                .path("detail").asString()).contains("maxRows", "10000");
        assertThat(assertProblem(register(admin, connection("slow", 5432, ",\"statementTimeout\":\"PT1H\"")), 400, "validation")
                .path("detail").asString()).contains("statementTimeout");
    }

    @Test
    void aDuplicateNameIsAConflict() {
        registered("twice", "");

        assertProblem(register(admin, connection("twice", 5432, "")), 409, "sql-connection-exists");
    }

    @Test
    void aDatabaseThatCannotBeReachedOrLacksATableIsNotSaved() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        JsonNode unreachable = assertProblem(register(admin, connection("nowhere", closedPort, "")), 422, "database-test-failed");
        assertThat(unreachable.path("detail").asString()).contains("Nothing accepts connections at 127.0.0.1:" + closedPort);

        JsonNode missing = assertProblem(register(admin, connection("missing", 5432, "").replace(SCHEMA + ".orders",
                SCHEMA + ".invoices")), 422, "database-tables-missing");
        assertThat(missing.path("detail").asString()).contains("table " + SCHEMA + ".invoices does not exist");
        JsonNode column = assertProblem(register(admin, connection("column", 5432, "").replace("\"total\"", "\"tax\"")), 422,
                "database-tables-missing");
        assertThat(column.path("detail").asString()).contains("column " + SCHEMA + ".orders.tax does not exist");

        JsonNode noDatabase = assertProblem(register(admin, connection("nodb", 5432, "").replace("\"test\"", "\"no_such_db\"")),
                422, "database-test-failed");
        assertThat(noDatabase.path("detail").asString()).contains("no database 'no_such_db'");

        JsonNode unknownHost = assertProblem(register(admin, connection("unknown", 5432, "").replace("127.0.0.1", "db.invalid")),
                422, "database-test-failed");
        assertThat(unknownHost.path("detail").asString()).contains("The host db.invalid does not resolve");
        // The server on the machine offers no TLS: a connection that requires it must not fall back to plain TCP.
        JsonNode noTls = assertProblem(register(admin, connection("tls", 5432, "").replace("\"disable\"", "\"require\"")), 422,
                "database-test-failed");
        assertThat(noTls.path("detail").asString()).contains("TLS handshake", "tlsMode require");
        assertThat(HttpTestClient.json(accounts.send(admin, "GET", "/api/sql/connections", null)).path("connections")).isEmpty();
    }

    @Test
    void anAddressThePolicyForbidsIsRefusedWhenConnecting() {
        for (String host : List.of("169.254.169.254", "10.255.255.1")) {
            JsonNode refused = assertProblem(register(admin, connection("refused", 5432, "").replace("127.0.0.1", host)), 422,
                    "destination-refused");
            assertThat(refused.path("detail").asString()).contains(host, "switchboard.security.outbound.allowed-networks");
        }
    }

    @Test
    void anotherTenantSeesNothing() {
        String id = registered("private", "");
        Session other = accounts.newTenantAdmin();

        assertThat(HttpTestClient.json(accounts.send(other, "GET", "/api/sql/connections", null)).path("connections")).isEmpty();
        for (String method : List.of("GET", "DELETE")) {
            assertProblem(accounts.send(other, method, "/api/sql/connections/" + id, null), 404, "not-found");
        }
        assertProblem(accounts.send(other, "GET", "/api/sql/connections/" + id + "/schema", null), 404, "not-found");
        assertProblem(accounts.send(other, "POST", "/api/sql/connections/" + id + "/refresh", null), 404, "not-found");
        assertProblem(accounts.send(other, "PUT", "/api/sql/connections/" + id, connection("private", 5432, "")), 404, "not-found");
        assertThat(accounts.send(admin, "GET", "/api/sql/connections/" + id, null).statusCode()).isEqualTo(200);
    }

    @Test
    void membersSeeOnlyWhatIsSharedWithThemAndOnlyItsSummary() {
        Session member = accounts.newUser(admin, "MEMBER");
        Session named = accounts.newUser(admin, "MEMBER");
        String everyone = registered("everyone", ",\"sharedWith\":{\"roles\":[\"MEMBER\"]}");
        String one = registered("one", ",\"sharedWith\":{\"userIds\":[\"" + named.userId() + "\"]}");
        String adminsOnly = registered("admins", "");

        JsonNode listed = HttpTestClient.json(accounts.send(member, "GET", "/api/sql/connections", null));
        assertThat(names(listed.path("connections"))).containsExactly("everyone");
        assertThat(listed.path("connections").get(0).has("host")).isFalse();
        assertThat(listed.path("connections").get(0).has("allowedTables")).isFalse();
        assertThat(names(HttpTestClient.json(accounts.send(named, "GET", "/api/sql/connections", null)).path("connections")))
                .containsExactly("everyone", "one");
        assertThat(accounts.send(member, "GET", "/api/sql/connections/" + everyone + "/schema", null).statusCode()).isEqualTo(200);
        assertProblem(accounts.send(member, "GET", "/api/sql/connections/" + one, null), 404, "not-found");
        assertProblem(accounts.send(member, "GET", "/api/sql/connections/" + adminsOnly + "/schema", null), 404, "not-found");
        assertProblem(register(member, connection("mine", 5432, "")), 403, "forbidden");
        assertProblem(accounts.send(member, "DELETE", "/api/sql/connections/" + everyone, null), 403, "forbidden");
        assertProblem(accounts.send(member, "POST", "/api/sql/connections/" + everyone + "/refresh", null), 403, "forbidden");
    }

    @Test
    void sharingWithSomeoneWhoIsNotAUserOfTheTenantIsRefusedAndNothingIsSaved() {
        Session stranger = accounts.newTenantAdmin();
        String unknown = "00000000-0000-4000-8000-0000000000aa";
        String share = ",\"sharedWith\":{\"userIds\":[\"" + stranger.userId() + "\",\"" + unknown + "\"]}";

        JsonNode refused = assertProblem(register(admin, connection("strangers", 5432, share)), 400, "validation");

        assertThat(refused.path("detail").asString()).contains("sharedWith.userIds", stranger.userId().toString(), unknown);
        assertThat(names(HttpTestClient.json(accounts.send(admin, "GET", "/api/sql/connections", null)).path("connections")))
                .doesNotContain("strangers");
        String id = registered("kept", "");
        assertProblem(accounts.send(admin, "PUT", "/api/sql/connections/" + id, connection("kept", 5432, share)), 400,
                "validation");
        assertThat(HttpTestClient.json(accounts.send(admin, "GET", "/api/sql/connections/" + id, null)).path("sharedWith")
                .path("userIds")).isEmpty();
    }

    @Test
    void aDeletedDatabaseIsGoneWithItsCatalogueAndEveryChangeIsAudited() {
        String id = registered("gone", ",\"password\":\"" + SECRET + "\"");
        assertThat(accounts.send(admin, "PUT", "/api/sql/connections/" + id, connection("gone", 5432, "")).statusCode())
                .isEqualTo(200);

        assertThat(accounts.send(admin, "DELETE", "/api/sql/connections/" + id, null).statusCode()).isEqualTo(204);

        assertProblem(accounts.send(admin, "GET", "/api/sql/connections/" + id, null), 404, "not-found");
        assertThat(SchemaOwner.strings(jdbc, "select connection_id from sql_schema_catalogs where connection_id = '" + id + "'"))
                .isEmpty();
        // The audit log is written after the change, off the request's thread.
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> HttpTestClient.json(accounts.send(admin, "GET",
                "/api/audit", null)).path("entries").findValuesAsString("action").contains("sql_connection.deleted"));
        JsonNode entries = HttpTestClient.json(accounts.send(admin, "GET", "/api/audit", null)).path("entries");
        List<JsonNode> changes = entries.valueStream().filter(entry -> entry.path("action").asString().startsWith("sql_connection."))
                .toList();
        assertThat(changes).extracting(entry -> entry.path("action").asString())
                .containsExactlyInAnyOrder("sql_connection.created", "sql_connection.updated", "sql_connection.deleted");
        assertThat(changes).allSatisfy(entry -> {
            assertThat(entry.path("subjectId").asString()).isEqualTo(id);
            assertThat(entry.path("details").path("connection").asString()).isEqualTo("gone");
            assertThat(entry.path("details").path("host").asString()).isEqualTo("127.0.0.1");
        });
        assertThat(entries.toString()).doesNotContain(SECRET);
    }

    @Test
    void aDeadDatabaseAnswers503AndIsUsedAgainOnceItIsBack() {
        try (TcpProxy proxy = new TcpProxy(5432)) {
            String id = HttpTestClient.json(register(admin, connection("flaky", proxy.port(), ""))).path("id").asString();
            String refresh = "/api/sql/connections/" + id + "/refresh";
            assertThat(accounts.send(admin, "POST", refresh, null).statusCode()).isEqualTo(200);

            proxy.stop();
            JsonNode dead = assertProblem(accounts.send(admin, "POST", refresh, null), 503, "database-unavailable");
            assertThat(dead.path("detail").asString()).contains("'flaky'", "127.0.0.1:" + proxy.port());

            proxy.start();
            Awaitility.await().atMost(Duration.ofSeconds(30))
                    .until(() -> accounts.send(admin, "POST", refresh, null).statusCode() == 200);
        }
    }

    private byte[] sealedPassword(String id) {
        return SchemaOwner.query(jdbc, "select password_sealed from sql_connections where id = '" + id + "'",
                rows -> rows.next() ? rows.getBytes(1) : null);
    }

    private static List<String> names(JsonNode array) {
        return array.valueStream().map(node -> node.path("name").asString()).toList();
    }
}
