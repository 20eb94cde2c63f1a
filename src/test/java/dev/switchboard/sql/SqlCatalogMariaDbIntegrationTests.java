package dev.switchboard.sql;

import static dev.switchboard.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.switchboard.fakellm.Behaviour;
import dev.switchboard.fakellm.FakeLlmServer;
import dev.switchboard.support.Accounts.Session;
import dev.switchboard.support.ApiTestSupport;
import dev.switchboard.support.HttpTestClient;
import dev.switchboard.support.IntegrationTest;
import tools.jackson.databind.JsonNode;

/**
 * A MariaDB database (the server on 127.0.0.1:3306) registered as {@code mariadb} or {@code mysql}: tested on save,
 * its catalogue read from {@code information_schema} with table and column comments and foreign keys, refreshed on
 * demand; a wrong password is refused with the reason; a question is answered from it in its dialect through the fake
 * provider.
 */
@IntegrationTest
class SqlCatalogMariaDbIntegrationTests extends ApiTestSupport {

    static final String DATABASE = "sc_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);

    static final FakeLlmServer PROVIDER = FakeLlmServer.start();

    Session admin;

    @DynamicPropertySource
    static void provider(DynamicPropertyRegistry registry) {
        registry.add("switchboard.llm.providers.fake.kind", () -> "openai");
        registry.add("switchboard.llm.providers.fake.base-url", () -> PROVIDER.baseUrl() + "/v1");
        registry.add("switchboard.llm.providers.fake.api-key", () -> "k");
        registry.add("switchboard.llm.default-chain", () -> "fake:gpt-maria");
    }

    @BeforeAll
    static void sampleDatabase() {
        RemoteDatabases.assumeMariaDb();
        RemoteDatabases.run(RemoteDatabases.MARIADB_URL,
                "create database " + DATABASE,
                "create table " + DATABASE + ".customers (id int primary key, name varchar(100) not null, "
                        + "email varchar(200) comment 'Contact e-mail address') engine=InnoDB comment 'People and companies who buy from us'",
                "create table " + DATABASE + ".orders (id int primary key, customer_id int not null, total decimal(10,2) not null, "
                        + "constraint orders_customer foreign key (customer_id) references " + DATABASE + ".customers (id)) "
                        + "engine=InnoDB comment 'Orders placed by customers'",
                "create table " + DATABASE + ".notes (id int primary key, body text) engine=InnoDB",
                "insert into " + DATABASE + ".customers values (1, 'Ada', 'ada@example.com'), (2, 'Brian', 'b@example.com')",
                "insert into " + DATABASE + ".orders values (10, 1, 120.50), (11, 1, 30.00), (12, 2, 99.99)");
    }

    @AfterAll
    static void dropDatabase() {
        RemoteDatabases.run(RemoteDatabases.MARIADB_URL, "drop database if exists " + DATABASE);
        PROVIDER.close();
    }

    @Test
    void aQuestionIsAnsweredInTheMariaDbDialectWithMaskedColumnsMasked() {
        HttpResponse<String> created = accounts.send(admin, "POST", "/api/sql/connections", connection("maria", "mariadb",
                "[{\"table\":\"customers\",\"maskedColumns\":[\"email\"]},{\"table\":\"orders\"}]", ""));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = HttpTestClient.json(created).path("id").asString();
        PROVIDER.reset().then(Behaviour.reply("```sql\nSELECT `c`.`name`, c.email, o.total FROM customers c "
                + "JOIN orders o ON o.customer_id = c.id ORDER BY o.total DESC\n```\nEach order with its customer."));

        HttpResponse<String> response = accounts.send(admin, "POST", "/api/sql/ask", "{\"connectionId\":\"" + id
                + "\",\"question\":\"Who spent the most?\"}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode answer = HttpTestClient.json(response);
        assertThat(answer.path("rows").toString()).isEqualTo(
                "[[\"Ada\",\"****\",120.5],[\"Brian\",\"****\",99.99],[\"Ada\",\"****\",30.0]]");
        assertThat(answer.path("sql").asString()).containsIgnoringCase("LIMIT");
        assertThat(PROVIDER.received().getFirst().body().path("messages").toString()).contains("MariaDB")
                .contains("Who spent the most?").doesNotContain("notes");
    }

    @BeforeEach
    void admin() {
        admin = accounts.newTenantAdmin();
    }

    static String connection(String name, String kind, String tables, String extra) {
        return """
                {"name":"%s","kind":"%s","host":"127.0.0.1","port":3306,"database":"%s","username":"root","tlsMode":"disable",
                 "allowedTables":%s%s}""".formatted(name, kind, DATABASE, tables, extra);
    }

    @Test
    void theCatalogueHasCommentsKeysAndForeignKeys() {
        HttpResponse<String> created = accounts.send(admin, "POST", "/api/sql/connections", connection("shop", "mariadb",
                "[{\"table\":\"customers\",\"maskedColumns\":[\"email\"]},{\"table\":\"" + DATABASE + ".orders\"}]", ""));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = HttpTestClient.json(created).path("id").asString();

        JsonNode schema = HttpTestClient.json(accounts.send(admin, "GET", "/api/sql/connections/" + id + "/schema", null));

        JsonNode customers = schema.path("tables").get(0);
        assertThat(customers.path("name").asString()).isEqualTo("customers");
        assertThat(customers.path("comment").asString()).isEqualTo("People and companies who buy from us");
        assertThat(customers.path("primaryKey").toString()).isEqualTo("[\"id\"]");
        assertThat(names(customers.path("columns"))).containsExactly("id", "name", "email");
        assertThat(customers.path("columns").get(1).path("type").asString()).isEqualTo("varchar(100)");
        assertThat(customers.path("columns").get(1).path("nullable").asBoolean()).isFalse();
        assertThat(customers.path("columns").get(2).path("comment").asString()).isEqualTo("Contact e-mail address");
        assertThat(customers.path("columns").get(2).path("masked").asBoolean()).isTrue();
        JsonNode orders = schema.path("tables").get(1);
        assertThat(orders.path("name").asString()).isEqualTo(DATABASE + ".orders");
        assertThat(orders.path("comment").asString()).isEqualTo("Orders placed by customers");
        JsonNode key = orders.path("foreignKeys").get(0);
        assertThat(key.path("columns").toString()).isEqualTo("[\"customer_id\"]");
        assertThat(key.path("referencedTable").asString()).isEqualTo("customers");
        assertThat(key.path("referencedColumns").toString()).isEqualTo("[\"id\"]");
    }

    @Test
    void aRefreshPicksUpANewColumnOverTheMySqlKindToo() {
        HttpResponse<String> created = accounts.send(admin, "POST", "/api/sql/connections", connection("notes", "mysql",
                "[{\"table\":\"notes\"}]", ""));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = HttpTestClient.json(created).path("id").asString();
        RemoteDatabases.run(RemoteDatabases.MARIADB_URL, "alter table " + DATABASE + ".notes add column author varchar(50) "
                + "comment 'Who wrote it'");

        HttpResponse<String> refreshed = accounts.send(admin, "POST", "/api/sql/connections/" + id + "/refresh", null);

        assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
        JsonNode columns = HttpTestClient.json(refreshed).path("tables").get(0).path("columns");
        assertThat(names(columns)).containsExactly("id", "body", "author");
        assertThat(columns.get(2).path("comment").asString()).isEqualTo("Who wrote it");
    }

    @Test
    void aWrongPasswordIsRefusedWithTheReason() {
        JsonNode problem = assertProblem(accounts.send(admin, "POST", "/api/sql/connections", connection("wrong", "mariadb",
                "[{\"table\":\"notes\"}]", ",\"password\":\"not-roots-password\"")), 422, "database-test-failed");

        assertThat(problem.path("detail").asString()).contains("refused the user name or password").doesNotContain("not-roots");
    }

    @Test
    void aServerWithoutTlsIsRefusedWhenTlsIsRequired() {
        JsonNode problem = assertProblem(accounts.send(admin, "POST", "/api/sql/connections", connection("tls", "mariadb",
                "[{\"table\":\"notes\"}]", "").replace("\"disable\"", "\"verify-full\"")), 422, "database-test-failed");

        assertThat(problem.path("detail").asString()).contains("TLS handshake", "tlsMode verify-full");
    }

    private static List<String> names(JsonNode array) {
        return array.valueStream().map(node -> node.path("name").asString()).toList();
    }
}
