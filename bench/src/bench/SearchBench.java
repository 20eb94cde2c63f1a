package bench;

import static bench.support.Bench.*;
import static bench.support.Knowledge.*;
import static bench.support.Load.*;
import static bench.support.Percentiles.pct;
import static bench.support.Verdicts.verdict;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;

import bench.support.App;
import dev.switchboard.knowledge.internal.embedding.BgeSmallEmbedder;
import dev.switchboard.knowledge.internal.index.ChunkHit;
import dev.switchboard.knowledge.internal.index.IndexedChunk;
import dev.switchboard.knowledge.internal.index.LuceneChunkIndex;
import dev.switchboard.knowledge.internal.retrieval.FusionSettings;
import dev.switchboard.knowledge.internal.retrieval.ReciprocalRankFusion;

/**
 * Search latency (bench/search.sh): {@code POST /api/knowledge/search} over a knowledge base of 100,000 chunks: SciFact
 * abstracts ingested by the real pipeline, the rest written through the same index code ({@link LuceneChunkIndex})
 * while Switchboard is stopped (see {@link #fill}); against the pipeline's own SciFact knowledge base, the query
 * embedding alone and {@code GET /health/live}; then the retrieval's stages timed in-process. Prints markdown lines for
 * the calling script to append to bench/RESULTS.md; progress goes to stderr.
 */
public class SearchBench {

    /** Arguments: the Switchboard jar, a private work directory, the output directory, corpus.jsonl, queries-train.jsonl. */
    public static void main(String[] args) throws Exception {
        Path jar = init(args);
        quietLogs();
        searchLatency(jar, papers(Path.of(args[3])), Path.of(args[4]));
        System.exit(0);
    }

    static void searchLatency(Path jar, List<Paper> papers, Path queriesFile) throws Exception {
        int realDocs = Math.min(papers.size(), env("REAL_DOCS", papers.size()));
        int total = env("CHUNKS", 100_000);
        int requests = env("REQUESTS", 1000);
        int topK = env("TOP_K", 8);
        List<Integer> levels = Arrays.stream(System.getenv().getOrDefault("CONCURRENCY", "4,16").split(",")).map(String::strip)
                .map(Integer::parseInt).toList();
        List<String> queries = queries(queriesFile);
        List<String> lines = new ArrayList<>();
        UUID tenant;
        UUID real;
        UUID large;
        Path indexPath;
        try (App app = App.start(jar, "search", NO_PROVIDER, appJvmArgs(), List.of())) {
            useAdminKey(app);
            real = knowledgeBase(app, "SciFact");
            large = knowledgeBase(app, "SciFact and synthetic chunks");
            log("ingesting %d SciFact abstracts through the pipeline", realDocs);
            Round ingested = ingest(app, real, uploads(papers.subList(0, realDocs)), 4);
            log("%d chunks in %.1f s (%d failed)", ingested.chunks(), ingested.seconds(), ingested.failed());
            try (Connection db = app.db();
                    PreparedStatement s = db.prepareStatement("select tenant_id from knowledge_bases where id = ?")) {
                s.setObject(1, real);
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    tenant = r.getObject(1, UUID.class);
                }
            }
            indexPath = app.data.resolve("index/lucene");
            app.close();
            long t = System.nanoTime();
            String filled = fill(indexPath, tenant, real, large, total);
            log("%s in %.0f s", filled, (System.nanoTime() - t) / 1e9);
            lines.add(f("- index: knowledge base *SciFact*: the first %d SciFact abstracts uploaded over HTTP and ingested by the pipeline "
                    + "(%d chunks in %.0f s, %d failed); knowledge base *SciFact and synthetic chunks*, the one measured: %s (written through "
                    + "`LuceneChunkIndex.upsert` while Switchboard was stopped, in %.0f s, then Switchboard restarted on the same data "
                    + "directory); the Lucene index holds both", realDocs, ingested.chunks(), ingested.seconds(), ingested.failed(), filled,
                    (System.nanoTime() - t) / 1e9));
            app.restart();

            Random random = new Random(42);
            Request searchLarge = i -> search(app, large, queries.get(random(random, queries.size())), topK);
            Request searchReal = i -> search(app, real, queries.get(random(random, queries.size())), topK);
            Request live = i -> timedGet(app.base + "/health/live", null);
            log("warm-up");
            interleaved(List.of(searchLarge, searchReal, live), Math.max(100, requests / 4));
            log("one client, the three requests taking turns, %d each", requests);
            List<List<Sample>> sequential = interleaved(List.of(searchLarge, searchReal, live), requests);
            log("the query embedding alone, in this JVM, %d queries", requests);
            double[] embedding;
            try (BgeSmallEmbedder model = new BgeSmallEmbedder()) {
                for (int i = 0; i < 100; i++) {
                    model.embedQuery(queries.get(i % queries.size()));
                }
                embedding = new double[requests];
                for (int i = 0; i < requests; i++) {
                    String query = queries.get(random(random, queries.size()));
                    long s = System.nanoTime();
                    model.embedQuery(query);
                    embedding[i] = (System.nanoTime() - s) / 1e6;
                }
            }
            Map<Integer, List<Timed>> concurrent = new LinkedHashMap<>();
            for (int clients : levels) {
                log("%d clients", clients);
                concurrent.put(clients, List.of(closedLoop(requests, clients, searchLarge),
                        closedLoop(requests, clients, searchReal)));
            }
            printSearch(sequential, embedding, concurrent, total, ingested.chunks(), topK);
        }
        lines.addAll(stages(indexPath, tenant, large, queries, requests, total));
        lines.forEach(System.out::println);
    }

    static void printSearch(List<List<Sample>> sequential, double[] embedding, Map<Integer, List<Timed>> concurrent,
            int total, int realChunks, int topK) {
        String large = f("`POST /api/knowledge/search` over %,d chunks (topK %d)", total, topK);
        String real = f("baseline: the same over the pipeline's SciFact knowledge base (%,d chunks)", realChunks);
        System.out.println("| clients | request | requests | failed | req/s | p50 ms | p95 ms | p99 ms | max ms |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        System.out.println(historyRow(1, large, new Timed(sequential.get(0), Double.NaN)));
        System.out.println(historyRow(1, real, new Timed(sequential.get(1), Double.NaN)));
        System.out.println(historyRow(1, "baseline: `GET /health/live` (no authentication)", new Timed(sequential.get(
                2), Double.NaN)));
        System.out.println(f(
                "| 1 | baseline: the query embedding alone (`BgeSmallEmbedder.embedQuery` in the load generator's JVM, Switchboard idle) "
                        + "| %d | 0 | %.0f | %.2f | %.2f | %.2f | %.1f |", embedding.length, embedding.length / (Arrays.stream(embedding)
                                .sum() / 1000),
                pct(embedding, 50), pct(embedding, 95), pct(embedding, 99), Arrays.stream(embedding).max()
                        .orElse(0)));
        concurrent.forEach((clients, timed) -> {
            System.out.println(historyRow(clients, large, timed.get(0)));
            System.out.println(historyRow(clients, real, timed.get(1)));
        });
        System.out.println();
        double[] largeMs = ok(sequential.get(0));
        double[] realMs = ok(sequential.get(1));
        double p99 = pct(largeMs, 99);
        System.out.println(f("- **one client: p99 %.2f ms over %,d chunks, query embedding included → target < 50 ms %s**; over the "
                + "pipeline's %,d chunks p99 %.2f ms (%.2f×: the cost of %,d chunks over %,d); p50 %.2f ms, of which the query "
                + "embedding alone takes %.2f ms and `GET /health/live` %.2f ms", p99, total, verdict(p99 < 50, sequential.get(0)),
                realChunks,
                pct(realMs, 99), p99 / pct(realMs, 99), total, realChunks, pct(largeMs, 50), pct(
                        embedding, 50),
                pct(ok(sequential.get(2)), 50)));
        concurrent.forEach((clients, timed) -> {
            double[] ms = ok(timed.get(0).samples());
            System.out.println(f("- %d clients: p99 %.2f ms (→ < 50 ms %s) at %.0f searches/s; over the pipeline's %,d chunks p99 %.2f ms",
                    clients,
                    pct(ms, 99), verdict(pct(ms, 99) < 50, timed.get(0).samples()), timed.get(0).samples().size() / timed.get(0)
                            .wall(),
                    realChunks, pct(ok(timed.get(1).samples()), 99)));
        });
    }

    /**
     * Fills the knowledge base {@code large} to {@code total} chunks through the production index code: a copy of every chunk
     * the pipeline indexed into {@code real} (same text, same vector, new chunk id), then synthetic chunks, each the first half
     * (by words) of one real chunk followed by the second half of another, its vector the normalised sum of theirs, so that text
     * statistics and the vectors' distribution stay those of SciFact chunks without running the model on them.
     */
    static String fill(Path indexPath, UUID tenant, UUID real, UUID large, int total) throws IOException {
        List<IndexedChunk> source = new ArrayList<>();
        String field = "vector." + MODEL;
        try (FSDirectory directory = FSDirectory.open(indexPath); DirectoryReader reader = DirectoryReader.open(directory)) {
            for (LeafReaderContext leaf : reader.leaves()) {
                LeafReader segment = leaf.reader();
                FloatVectorValues vectors = segment.getFloatVectorValues(field);
                if (vectors == null) {
                    continue;
                }
                Bits live = segment.getLiveDocs();
                StoredFields stored = segment.storedFields();
                KnnVectorValues.DocIndexIterator docs = vectors.iterator();
                for (int doc = docs.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = docs.nextDoc()) {
                    if (live != null && !live.get(doc)) {
                        continue;
                    }
                    var document = stored.document(doc);
                    if (!document.get("knowledge_base_id").equals(real.toString())) {
                        continue;
                    }
                    source.add(new IndexedChunk(tenant, large, UUID.fromString(document.get("document_id")), document.get("document_name"),
                            UUID.randomUUID(), document.getField("ordinal").numericValue().intValue(), document.get("location"),
                            document.get("text"), MODEL, vectors.vectorValue(docs.index()).clone()));
                }
            }
        }
        if (source.isEmpty()) {
            throw new IllegalStateException("no chunks of the pipeline's knowledge base in " + indexPath);
        }
        Random random = new Random(7);
        int synthetic = Math.max(0, total - source.size());
        try (LuceneChunkIndex index = new LuceneChunkIndex(indexPath)) {
            List<IndexedChunk> batch = new ArrayList<>(source);
            for (int k = 0; k < synthetic; k++) {
                IndexedChunk a = source.get(random.nextInt(source.size()));
                IndexedChunk b = source.get(random.nextInt(source.size()));
                batch.add(new IndexedChunk(tenant, large, UUID.nameUUIDFromBytes(("synthetic-" + k / 2).getBytes(StandardCharsets.UTF_8)),
                        "synthetic-" + k / 2 + ".md", UUID.randomUUID(), k % 2, a.location(), half(a.text(), true) + " " + half(b.text(),
                                false),
                        MODEL, sum(a.vector(), b.vector())));
                if (batch.size() >= 5000) {
                    index.upsert(batch);
                    batch.clear();
                }
            }
            index.upsert(batch);
        }
        return f("%,d chunks: the pipeline's %,d SciFact chunks copied, and %,d synthetic chunks (first half of a random SciFact chunk + "
                + "second half of another, vector = their vectors' normalised sum; 2 chunks per synthetic document)", source.size()
                        + synthetic,
                source.size(), synthetic);
    }

    static String half(String text, boolean first) {
        String[] words = text.split(" ");
        int middle = words.length / 2;
        return String.join(" ", first ? Arrays.copyOfRange(words, 0, middle) : Arrays.copyOfRange(words, middle, words.length));
    }

    static float[] sum(float[] a, float[] b) {
        float[] sum = new float[a.length];
        double norm = 0;
        for (int i = 0; i < a.length; i++) {
            sum[i] = a[i] + b[i];
            norm += sum[i] * sum[i];
        }
        for (int i = 0; i < a.length; i++) {
            sum[i] /= (float) Math.sqrt(norm);
        }
        return sum;
    }

    /** The hybrid retrieval's stages over the large knowledge base, timed in this JVM on the same index (Switchboard stopped). */
    static List<String> stages(Path indexPath, UUID tenant, UUID large, List<String> queries, int requests, int total) throws Exception {
        log("stages in-process");
        Set<UUID> scope = Set.of(large);
        Random random = new Random(3);
        double[] embed = new double[requests];
        double[] dense = new double[requests];
        double[] lexical = new double[requests];
        double[] fuse = new double[requests];
        double[] all = new double[requests];
        try (BgeSmallEmbedder model = new BgeSmallEmbedder(); LuceneChunkIndex index = new LuceneChunkIndex(indexPath)) {
            for (int round = 0; round < 2; round++) {
                for (int i = 0; i < requests; i++) {
                    String query = queries.get(random.nextInt(queries.size()));
                    long t0 = System.nanoTime();
                    float[] vector = model.embedQuery(query);
                    long t1 = System.nanoTime();
                    List<ChunkHit> d = index.dense(tenant, scope, MODEL, vector, 100);
                    long t2 = System.nanoTime();
                    List<ChunkHit> l = index.lexical(tenant, scope, query, 100);
                    long t3 = System.nanoTime();
                    ReciprocalRankFusion.fuse(l, d, FusionSettings.DEFAULT, 8);
                    long t4 = System.nanoTime();
                    embed[i] = (t1 - t0) / 1e6;
                    dense[i] = (t2 - t1) / 1e6;
                    lexical[i] = (t3 - t2) / 1e6;
                    fuse[i] = (t4 - t3) / 1e6;
                    all[i] = (t4 - t0) / 1e6;
                }
            }
        }
        return List.of(f(
                "- where a search's time goes: `HybridRetriever`'s steps timed in the load generator's JVM on the same index after "
                        + "Switchboard stopped (%d queries, after as many for warm-up; 100 candidates from each search, as served), p50 / p99 ms: "
                        + "query embedding %.2f / %.2f; HNSW search over %,d chunks (tenant and knowledge-base filter inside the query) %.2f / %.2f; "
                        + "BM25 %.2f / %.2f; fusion %.3f / %.3f; together %.2f / %.2f. The rest of the HTTP figure is Tomcat, authentication, "
                        + "the knowledge-base check (a database read) and JSON.", requests, pct(embed, 50), pct(embed,
                                99),
                total, pct(dense, 50), pct(dense, 99), pct(lexical, 50), pct(lexical, 99),
                pct(fuse, 50), pct(fuse, 99), pct(all, 50), pct(all, 99)));
    }
}
