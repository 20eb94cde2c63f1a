package dev.switchboard.sql.internal.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.switchboard.knowledge.internal.embedding.BgeSmallEmbedder;
import dev.switchboard.knowledge.internal.embedding.Embedder;
import dev.switchboard.knowledge.internal.embedding.EmbeddingSentenceSimilarity;
import dev.switchboard.llm.LlmRequest;
import dev.switchboard.llm.SentenceSimilarity;
import dev.switchboard.sql.internal.catalog.SchemaCatalog.Column;
import dev.switchboard.sql.internal.catalog.SchemaCatalog.ForeignKey;
import dev.switchboard.sql.internal.catalog.SchemaCatalog.Table;

/**
 * Choosing tables on a generated 200-table schema: 24 business tables with comments and foreign keys among 176 tables
 * of unrelated modules. Questions that name what they want find it by BM25 alone; questions in other words than the
 * schema's find it through the embedding model (the real bge-small the knowledge module ships); the tables a chosen
 * one joins to come with it; and the rendered text keeps the chosen tables first within the token budget.
 */
class SchemaSelectorTests {

    static BgeSmallEmbedder embedder;

    static final SchemaCatalog CATALOG = generated();

    @BeforeAll
    static void model() {
        embedder = new BgeSmallEmbedder(2);
    }

    @AfterAll
    static void close() {
        embedder.close();
    }

    /**
     * The real model, asked once per table summary: each selection embeds the same 200 summaries again (the selector
     * cannot keep vectors, see {@link SchemaSelector#select}), which made this class take ~20 s on a busy machine.
     * The vectors are the model's own, from the same batch as the first selection's.
     */
    record RememberingEmbedder(Embedder model, Map<String, float[]> documents) implements Embedder {

        RememberingEmbedder(Embedder model) {
            this(model, new HashMap<>());
        }

        @Override
        public String modelId() {
            return model.modelId();
        }

        @Override
        public int dimension() {
            return model.dimension();
        }

        @Override
        public List<float[]> embedDocuments(List<String> texts) {
            List<String> missing = texts.stream().filter(text -> !documents.containsKey(text)).distinct().toList();
            List<float[]> vectors = model.embedDocuments(missing);
            for (int i = 0; i < missing.size(); i++) {
                documents.put(missing.get(i), vectors.get(i));
            }
            return texts.stream().map(documents::get).toList();
        }

        @Override
        public float[] embedQuery(String query) {
            return model.embedQuery(query);
        }
    }

    static Table table(String name, String comment, List<Column> columns, List<ForeignKey> keys) {
        return new Table(name, comment, columns, List.of(columns.getFirst().name()), keys);
    }

    static Column column(String name, String type, String comment) {
        return new Column(name, type, true, comment, false);
    }

    static Column id() {
        return new Column("id", "integer", false, "", false);
    }

    static ForeignKey references(String column, String table) {
        return new ForeignKey(List.of(column), table, List.of("id"));
    }

    static SchemaCatalog generated() {
        List<Table> tables = new ArrayList<>();
        tables.add(table("employees", "People employed by the company", List.of(id(), column("full_name", "text", ""),
                column("hired_on", "date", "First working day"), column("department_id", "integer", "")),
                List.of(references("department_id", "departments"))));
        tables.add(table("departments", "Organisational units", List.of(id(), column("title", "text", "")), List.of()));
        tables.add(table("salaries", "Monthly pay of each employee", List.of(id(), column("employee_id", "integer", ""),
                column("amount", "numeric(10,2)", "Gross pay in euros")), List.of(references("employee_id", "employees"))));
        tables.add(table("customers", "People and companies who buy from us", List.of(id(), column("name", "text", ""),
                column("country", "text", "ISO country code")), List.of()));
        tables.add(table("invoices", "Bills sent to customers", List.of(id(), column("customer_id", "integer", ""),
                column("issued_on", "date", ""), column("due_on", "date", "Payment deadline")),
                List.of(references("customer_id", "customers"))));
        tables.add(table("invoice_lines", "One product on an invoice", List.of(id(), column("invoice_id", "integer", ""),
                column("product_id", "integer", ""), column("quantity", "integer", ""), column("unit_price", "numeric", "")),
                List.of(references("invoice_id", "invoices"), references("product_id", "products"))));
        tables.add(table("products", "What we sell", List.of(id(), column("sku", "text", "Stock keeping unit"),
                column("label", "text", "")), List.of()));
        tables.add(table("warehouses", "Buildings that hold stock", List.of(id(), column("city", "text", "")), List.of()));
        tables.add(table("stock_levels", "How many units of a product each warehouse holds",
                List.of(id(), column("warehouse_id", "integer", ""), column("product_id", "integer", ""),
                        column("units", "integer", "")),
                List.of(references("warehouse_id", "warehouses"), references("product_id", "products"))));
        tables.add(table("shipments", "Parcels sent to customers", List.of(id(), column("invoice_id", "integer", ""),
                column("carrier", "text", "Delivery company"), column("shipped_at", "timestamp", "")),
                List.of(references("invoice_id", "invoices"))));
        tables.add(table("support_tickets", "Complaints and questions from customers", List.of(id(),
                column("customer_id", "integer", ""), column("opened_at", "timestamp", ""), column("status", "text", "")),
                List.of(references("customer_id", "customers"))));
        tables.add(table("marketing_campaigns", "Advertising efforts and their budget", List.of(id(),
                column("channel", "text", "e-mail, search, social"), column("budget", "numeric", "")), List.of()));
        tables.add(table("suppliers", "Companies we buy goods from", List.of(id(), column("name", "text", "")), List.of()));
        tables.add(table("purchase_orders", "Orders we place with suppliers", List.of(id(), column("supplier_id", "integer", ""),
                column("placed_on", "date", "")), List.of(references("supplier_id", "suppliers"))));
        tables.add(table("vehicles", "Company cars and vans", List.of(id(), column("plate", "text", "Registration plate"),
                column("mileage", "integer", "Kilometres driven")), List.of()));
        tables.add(table("fuel_receipts", "Fuel bought for company vehicles", List.of(id(), column("vehicle_id", "integer", ""),
                column("litres", "numeric", "")), List.of(references("vehicle_id", "vehicles"))));
        tables.add(table("meeting_rooms", "Rooms that can be booked", List.of(id(), column("seats", "integer", "")), List.of()));
        tables.add(table("room_bookings", "Reservations of meeting rooms", List.of(id(), column("room_id", "integer", ""),
                column("starts_at", "timestamp", "")), List.of(references("room_id", "meeting_rooms"))));
        tables.add(table("exchange_rates", "Currency conversion rates per day", List.of(id(), column("currency", "text", ""),
                column("rate", "numeric", "")), List.of()));
        tables.add(table("tax_rates", "VAT percentages by country", List.of(id(), column("country", "text", ""),
                column("percent", "numeric", "")), List.of()));
        tables.add(table("web_sessions", "Visits to our website", List.of(id(), column("referrer", "text", ""),
                column("duration_seconds", "integer", "")), List.of()));
        tables.add(table("leave_requests", "Holidays and sick days employees ask for", List.of(id(),
                column("employee_id", "integer", ""), column("days", "integer", "")), List.of(references("employee_id", "employees"))));
        tables.add(table("trainings", "Courses offered to staff", List.of(id(), column("topic", "text", "")), List.of()));
        tables.add(table("audit_findings", "Problems found by internal auditors", List.of(id(), column("severity", "text", "")),
                List.of()));
        Random random = new Random(15);
        String[] nouns = {"widget", "gizmo", "sprocket", "flange", "gasket", "bracket", "module", "matrix", "vector", "beacon"};
        String[] kinds = {"settings", "log", "cache", "queue", "snapshot", "registry", "metric", "template"};
        for (int i = 0; tables.size() < 200; i++) {
            String noun = nouns[random.nextInt(nouns.length)];
            String kind = kinds[random.nextInt(kinds.length)];
            tables.add(table("sys_" + noun + "_" + kind + "_" + i, "Internal " + kind + " records of the " + noun + " subsystem",
                    List.of(id(), column(noun + "_code", "text", ""), column("payload", "jsonb", ""),
                            column("recorded_at", "timestamp", "")), List.of()));
        }
        return new SchemaCatalog(tables, Instant.EPOCH);
    }

    static List<String> names(List<Table> tables) {
        return tables.stream().map(Table::name).toList();
    }

    @Test
    void theSchemaHasTwoHundredTablesAndDoesNotFitAPrompt() {
        assertThat(CATALOG.tables()).hasSize(200);
        assertThat(SchemaRenderer.render(CATALOG.tables(), 3000).omitted()).isPositive();
    }

    @Test
    void questionsThatNameWhatTheyWantFindItByBm25Alone() {
        SchemaSelector selector = SchemaSelector.using(SentenceSimilarity.NONE);

        assertThat(names(selector.select(CATALOG, "What is the average salary per department?", 3)).subList(0, 3))
                .contains("salaries", "departments");
        assertThat(names(selector.select(CATALOG, "Which warehouse holds the most units of stock?", 3)).subList(0, 3))
                .contains("stock_levels", "warehouses");
        assertThat(names(selector.select(CATALOG, "How much fuel did each vehicle use last month?", 3)).subList(0, 3))
                .contains("fuel_receipts", "vehicles");
        assertThat(names(selector.select(CATALOG, "List open support tickets", 3)).getFirst()).isEqualTo("support_tickets");
    }

    @Test
    void questionsInOtherWordsFindTheirTablesThroughTheEmbeddingModel() {
        SchemaSelector words = SchemaSelector.using(SentenceSimilarity.NONE);
        SchemaSelector meanings = SchemaSelector.using(new EmbeddingSentenceSimilarity(new RememberingEmbedder(embedder)));
        Map<String, String> questions = Map.of(
                "Which clients complained most often?", "support_tickets",
                "Which automobiles have travelled the longest distance?", "vehicles",
                "Who was away on vacation in August?", "leave_requests",
                "How many packages went out by courier this week?", "shipments");

        questions.forEach((question, table) -> {
            assertThat(names(words.select(CATALOG, question, 5)).subList(0, 5)).as("BM25 alone: " + question).doesNotContain(table);
            assertThat(names(meanings.select(CATALOG, question, 5)).subList(0, 5)).as(question).contains(table);
        });
    }

    @Test
    void aChosenTableBringsTheTablesItJoinsTo() {
        SchemaSelector selector = SchemaSelector.using(SentenceSimilarity.NONE);

        List<String> chosen = names(selector.select(CATALOG, "Total quantity per invoice line", 1));

        assertThat(chosen.getFirst()).isEqualTo("invoice_lines");
        assertThat(chosen).contains("invoices", "products");
        assertThat(chosen.indexOf("invoices")).isLessThan(chosen.indexOf("products") + 1);
    }

    @Test
    void theRenderedSchemaKeepsTheChosenTablesFirstWithinTheBudget() {
        SchemaSelector selector = SchemaSelector.using(SentenceSimilarity.NONE);

        SchemaRenderer.Rendered rendered = selector.schemaFor(CATALOG, "Which invoices are past their payment deadline?", 400, 8);

        assertThat(rendered.tables()).contains("invoices");
        assertThat(LlmRequest.estimateTokens(rendered.text())).isLessThanOrEqualTo(400 + 20);
        assertThat(rendered.text()).contains("CREATE TABLE invoices (", "due_on date, -- Payment deadline",
                "FOREIGN KEY (customer_id) REFERENCES customers (id)");
        assertThat(rendered.text()).doesNotContain("sys_");
    }

    @Test
    void aSmallSchemaIsRenderedWhole() {
        SchemaCatalog small = new SchemaCatalog(CATALOG.tables().subList(0, 3), Instant.EPOCH);

        SchemaRenderer.Rendered rendered = SchemaSelector.using(SentenceSimilarity.NONE).schemaFor(small, "anything", 5000, 1);

        assertThat(rendered.tables()).containsExactly("employees", "departments", "salaries");
        assertThat(rendered.omitted()).isZero();
    }
}
