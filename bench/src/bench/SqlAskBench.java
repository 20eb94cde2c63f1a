package bench;

import static bench.support.Bench.*;
import static bench.support.Load.*;
import static bench.support.Percentiles.pct;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import bench.support.App;
import dev.switchboard.fakellm.Behaviour;
import dev.switchboard.fakellm.FakeLlmServer;
import tools.jackson.databind.JsonNode;

/**
 * Ask latency excluding the model and the database (bench/sql-ask.sh). Starts the fake OpenAI-compatible provider in
 * this JVM and Switchboard as a child process through {@link App}, registers a sample schema on the machine's
 * PostgreSQL (127.0.0.1:5432, database {@code test}) and asks it one question at a time ({@code POST /api/sql/ask}); the
 * fake answers at once with a grouping query. Each ask's model time and database time are what Switchboard itself
 * recorded for it: the growth of {@code switchboard_llm_latency_seconds_sum} and {@code switchboard_sql_execute_seconds_sum}
 * read from {@code /metrics} just before and after the ask (one client, so nothing else runs between). What remains is
 * Switchboard's own work: authentication and limits, the access check, the schema for the question, the prompt, the
 * reply read, the guard, masking and shaping the rows, the audit event. The baseline, measured in the same run and
 * taking turns with the asks, is {@code GET /api/sql/connections/{id}}: the same authentication and limits with one read of
 * Switchboard's own database.
 */
public class SqlAskBench {

    static final String PG = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    static final String SCHEMA = "sqlask_bench";
    static final String QUERY = "SELECT region, count(*) AS customers, sum(o.total) AS revenue FROM " + SCHEMA + ".customers c "
            + "JOIN " + SCHEMA + ".orders o ON o.customer_id = c.id GROUP BY region ORDER BY region";

    /** One ask: the client's latency, the model and database time Switchboard recorded for it. */
    record Ask(double ms, double modelMs, double dbMs, boolean ok, String problem) {

        double own() {
            return ms - modelMs - dbMs;
        }
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[1]);
        WORK = Path.of(args[2]);
        OUT = Path.of(args[3]);
        int asks = env("ASKS", 500);
        int warmup = env("WARMUP", 100);
        int tables = env("EXTRA_TABLES", 40);
        sampleSchema(tables);
        try (FakeLlmServer fake = new FakeLlmServer();
                App app = App.start(jar, "sql-ask", fake.baseUrl(), List.of(), List.of())) {
            fake.always(Behaviour.reply("```sql\n" + QUERY + "\n```\nCustomers and revenue per region."));
            StringBuilder allowed = new StringBuilder("{\"table\":\"" + SCHEMA + ".customers\",\"maskedColumns\":[\"email\"]},"
                    + "{\"table\":\"" + SCHEMA + ".orders\"}");
            for (int i = 0; i < tables; i++) {
                allowed.append(",{\"table\":\"").append(SCHEMA).append(".extra_").append(i).append("\"}");
            }
            String connection = JSON.readTree(post(app.base + "/api/sql/connections", "{\"name\":\"bench\","
                    + "\"kind\":\"postgresql\",\"host\":\"127.0.0.1\",\"port\":5432,\"database\":\"test\",\"username\":\"postgres\","
                    + "\"tlsMode\":\"disable\",\"allowedTables\":[" + allowed + "]}", app.token, true).body()).path("id").asString();
            log("warm-up: %d asks", warmup);
            run(app, connection, warmup);
            log("measuring: %d asks and %d baseline requests, taking turns", asks, asks);
            List<List<Double>> measured = new ArrayList<>();
            List<Ask> results = run(app, connection, asks, measured);
            report(results, measured.getFirst(), asks, warmup, tables);
        }
        finally {
            run(PG, "drop schema if exists " + SCHEMA + " cascade");
        }
        System.exit(0);
    }

    static void sampleSchema(int extraTables) throws Exception {
        List<String> statements = new ArrayList<>(List.of("drop schema if exists " + SCHEMA + " cascade", "create schema " + SCHEMA,
                "create table " + SCHEMA + ".customers (id integer primary key, name text not null, email text, region text)",
                "comment on table " + SCHEMA + ".customers is 'People and companies who buy from us'",
                "create table " + SCHEMA + ".orders (id integer primary key, customer_id integer not null references " + SCHEMA
                        + ".customers (id), total numeric(10,2) not null, placed_at timestamp)",
                "insert into " + SCHEMA + ".customers select i, 'customer ' || i, 'c' || i || '@example.com', "
                        + "(array['north','south','east','west'])[1 + i % 4] from generate_series(1, 1000) i",
                "insert into " + SCHEMA + ".orders select i, 1 + i % 1000, (i % 500) + 0.99, now() from generate_series(1, 5000) i"));
        for (int i = 0; i < extraTables; i++) {
            statements.add("create table " + SCHEMA + ".extra_" + i + " (id integer primary key, label text, amount numeric, "
                    + "created_at timestamp)");
        }
        run(PG, statements.toArray(String[]::new));
    }

    static void run(String url, String... statements) throws Exception {
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    static List<Ask> run(App app, String connection, int count) throws Exception {
        return run(app, connection, count, new ArrayList<>());
    }

    /** {@code count} asks, each followed by one baseline request; the baseline latencies go into {@code baseline[0]}. */
    static List<Ask> run(App app, String connection, int count, List<List<Double>> baseline) throws Exception {
        List<Ask> asks = new ArrayList<>();
        List<Double> plain = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            asks.add(ask(app, connection));
            long start = System.nanoTime();
            HttpResponse<String> response = get(app.base + "/api/sql/connections/" + connection, app.token);
            double ms = (System.nanoTime() - start) / 1e6;
            plain.add(response.statusCode() == 200 ? ms : Double.NaN);
        }
        baseline.add(plain);
        return asks;
    }

    static Ask ask(App app, String connection) throws Exception {
        Map<String, Double> before = metrics(app);
        long start = System.nanoTime();
        HttpResponse<String> response = post(app.base + "/api/sql/ask", "{\"connectionId\":\"" + connection
                + "\",\"question\":\"How many customers and how much revenue per region?\"}", app.token, false);
        double ms = (System.nanoTime() - start) / 1e6;
        Map<String, Double> after = metrics(app);
        double modelMs = (sum(after, "switchboard_llm_latency_seconds_sum")
                - sum(before, "switchboard_llm_latency_seconds_sum")) * 1000;
        double dbMs = (sum(after, "switchboard_sql_execute_seconds_sum")
                - sum(before, "switchboard_sql_execute_seconds_sum")) * 1000;
        if (response.statusCode() != 200) {
            return new Ask(ms, modelMs, dbMs, false, "status " + response.statusCode() + ": " + response.body());
        }
        JsonNode answer = JSON.readTree(response.body());
        boolean ok = answer.path("rowCount").asInt() == 4 && answer.path("corrections").asInt() == 0;
        return new Ask(ms, modelMs, dbMs, ok, ok ? null : "unexpected answer: " + response.body());
    }

    static void report(List<Ask> asks, List<Double> baseline, int count, int warmup, int extraTables) {
        long failed = asks.stream().filter(a -> !a.ok()).count();
        long baselineFailed = baseline.stream().filter(ms -> ms.isNaN()).count();
        asks.stream().filter(a -> !a.ok()).limit(3).forEach(a -> log("failed: %s", a.problem()));
        double[] ms = asks.stream().filter(Ask::ok).mapToDouble(Ask::ms).toArray();
        double[] model = asks.stream().filter(Ask::ok).mapToDouble(Ask::modelMs).toArray();
        double[] db = asks.stream().filter(Ask::ok).mapToDouble(Ask::dbMs).toArray();
        double[] own = asks.stream().filter(Ask::ok).mapToDouble(Ask::own).toArray();
        double[] plain = baseline.stream().filter(v -> !v.isNaN()).mapToDouble(Double::doubleValue).toArray();
        System.out.println("| request | count | failed | client latency p50 / p95 / p99 ms | model time p50 / p95 ms "
                + "| database time p50 / p95 ms | latency − model − database p50 / p95 / p99 ms |");
        System.out.println("|---|---|---|---|---|---|---|");
        System.out.println(f(
                "| `POST /api/sql/ask` (%d allowed tables) | %d | %s | %.2f / %.2f / %.2f | %.2f / %.2f | %.2f / %.2f "
                        + "| %.2f / %.2f / %.2f |", extraTables + 2, asks.size(), failed == 0 ? "0" : "**" + failed + "**",
                pct(ms, 50), pct(ms, 95), pct(ms, 99), pct(model, 50),
                pct(model, 95), pct(db, 50), pct(db, 95), pct(own, 50), pct(own, 95),
                pct(own, 99)));
        System.out.println(f("| `GET /api/sql/connections/{id}` — baseline | %d | %s | %.2f / %.2f / %.2f | — | — | — |",
                baseline.size(), baselineFailed == 0 ? "0" : "**" + baselineFailed + "**", pct(plain, 50),
                pct(plain, 95), pct(plain, 99)));
        System.out.println();
        System.out.println(f("- **ask latency excluding the model and the database**: p50 %.2f ms, p95 %.2f ms, p99 %.2f ms; "
                + "ratio to the baseline request at p50: %.2f×", pct(own, 50), pct(own, 95), pct(own, 99),
                pct(own, 50) / pct(plain, 50)));
        System.out.println(f("- %d asks and %d baseline requests measured after %d asks of warm-up; %d + %d failed", asks.size(),
                baseline.size(), warmup, failed, baselineFailed));
    }
}
