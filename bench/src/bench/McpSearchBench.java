package bench;

import static bench.support.Bench.*;
import static bench.support.Knowledge.*;
import static bench.support.Load.*;
import static bench.support.Percentiles.pct;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import bench.support.App;

/**
 * MCP search (bench/mcp-search.sh): the MCP server's {@code tools/call} of {@code search_knowledge} against
 * {@code POST /api/knowledge/search} over the same knowledge base of SciFact abstracts ingested by the pipeline.
 * Prints markdown lines for the calling script to append to bench/RESULTS.md; progress goes to stderr.
 */
public class McpSearchBench {

    /** Arguments: the Switchboard jar, a private work directory, the output directory, corpus.jsonl, queries-train.jsonl. */
    public static void main(String[] args) throws Exception {
        Path jar = init(args);
        quietLogs();
        mcp(jar, papers(Path.of(args[3])), Path.of(args[4]));
        System.exit(0);
    }

    /**
     * The MCP server's {@code tools/call} of {@code search_knowledge} against {@code POST /api/knowledge/search} over the same
     * knowledge base, the same queries (drawn alike) and the same key, one client, the two taking turns with
     * {@code GET /health/live}: what the MCP layer (JSON-RPC, the transport, the tool's checks and result shaping) adds.
     */
    static void mcp(Path jar, List<Paper> papers, Path queriesFile) throws Exception {
        int realDocs = Math.min(papers.size(), env("REAL_DOCS", 1000));
        int requests = env("REQUESTS", 1000);
        int topK = env("TOP_K", 8);
        List<String> queries = queries(queriesFile);
        try (App app = App.start(jar, "mcp", NO_PROVIDER, appJvmArgs(), List.of())) {
            useAdminKey(app);
            UUID base = knowledgeBase(app, "SciFact");
            log("ingesting %d SciFact abstracts through the pipeline", realDocs);
            Round ingested = ingest(app, base, uploads(papers.subList(0, realDocs)), 4);
            log("%d chunks in %.1f s (%d failed)", ingested.chunks(), ingested.seconds(), ingested.failed());
            String body = "{\"name\":\"mcp-bench\",\"tier\":\"enterprise\",\"scopes\":[\"mcp\",\"knowledge:read\"]}";
            String mcpKey = JSON.readTree(post(app.base + "/api/keys", body, app.token, true).body()).path("key")
                    .asString();
            Random random = new Random(42);
            Request rest = i -> search(app, base, queries.get(random(random, queries.size())), topK);
            Request mcp = i -> mcpSearch(app, mcpKey, base, queries.get(random(random, queries.size())), topK, i);
            Request live = i -> timedGet(app.base + "/health/live", null);
            log("warm-up");
            interleaved(List.of(rest, mcp, live), Math.max(100, requests / 4));
            log("one client, the three requests taking turns, %d each", requests);
            List<List<Sample>> sequential = interleaved(List.of(rest, mcp, live), requests);
            System.out.println(f("- index: the first %d SciFact abstracts uploaded over HTTP and ingested by the pipeline (%d chunks, "
                    + "%d failed), Lucene", realDocs, ingested.chunks(), ingested.failed()));
            System.out.println();
            System.out.println("| clients | request | requests | failed | req/s | p50 ms | p95 ms | p99 ms | max ms |");
            System.out.println("|---|---|---|---|---|---|---|---|---|");
            System.out.println(historyRow(1, f("`POST /api/knowledge/search` (topK %d)", topK),
                    new Timed(sequential.get(0), Double.NaN)));
            System.out.println(historyRow(1, f("MCP `tools/call` `search_knowledge` at `/api/mcp` (topK %d)", topK),
                    new Timed(sequential.get(1), Double.NaN)));
            System.out.println(historyRow(1, "baseline: `GET /health/live` (no authentication)",
                    new Timed(sequential.get(2), Double.NaN)));
            System.out.println();
            double[] restMs = ok(sequential.get(0));
            double[] mcpMs = ok(sequential.get(1));
            System.out.println(f("- **MCP adds %+.2f ms at p50 and %+.2f ms at p99 to the REST search** (p50 %.2f vs %.2f ms, p99 %.2f vs "
                    + "%.2f ms), query embedding included in both", pct(mcpMs, 50) - pct(restMs, 50),
                    pct(mcpMs, 99) - pct(restMs, 99), pct(mcpMs, 50), pct(restMs, 50),
                    pct(mcpMs, 99), pct(restMs, 99)));
        }
    }

    /** One JSON-RPC {@code tools/call}, as a Streamable HTTP client sends it to the stateless server (no session). */
    static Sample mcpSearch(App app, String key, UUID base, String query, int topK, int id) throws Exception {
        String body = JSON.writeValueAsString(Map.of("jsonrpc", "2.0", "id", id, "method", "tools/call", "params",
                Map.of("name", "search_knowledge", "arguments", Map.of("query", query, "knowledgeBaseIds", List.of(base.toString()),
                        "topK", topK))));
        HttpRequest request = HttpRequest.newBuilder(URI.create(app.base + "/api/mcp")).timeout(Duration.ofSeconds(120))
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .header("Authorization", "Bearer " + key).POST(HttpRequest.BodyPublishers.ofString(body)).build();
        long t = System.nanoTime();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        double ms = (System.nanoTime() - t) / 1e6;
        boolean ok = response.statusCode() == 200;
        if (ok) {
            var result = JSON.readTree(response.body()).path("result");
            ok = !result.path("isError").asBoolean() && result.path("structuredContent").path("passages").size() == topK;
        }
        return new Sample(ms, response.statusCode(), 0, ok, ok ? null : "status " + response.statusCode());
    }
}
