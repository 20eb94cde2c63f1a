package dev.switchboard.knowledge.internal.retrieval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.switchboard.knowledge.internal.chunking.Chunk;
import dev.switchboard.knowledge.internal.chunking.Chunker;
import dev.switchboard.knowledge.internal.chunking.ChunkingPolicy;
import dev.switchboard.knowledge.internal.chunking.WordPieceTokenCounter;
import dev.switchboard.knowledge.internal.embedding.BgeSmallEmbedder;
import dev.switchboard.knowledge.internal.index.ChunkHit;
import dev.switchboard.knowledge.internal.index.IndexedChunk;
import dev.switchboard.knowledge.internal.index.LuceneChunkIndex;
import dev.switchboard.knowledge.internal.index.LuceneIndexSettings;
import dev.switchboard.knowledge.internal.index.TextAnalysis;
import dev.switchboard.knowledge.internal.parsing.ParsedDocument;
import dev.switchboard.knowledge.internal.retrieval.RetrievalEvaluation.Summary;

/**
 * Retrieval quality on SciFact's training split (809 claims, 5,183 abstracts): chunks, embeds and indexes the
 * corpus with the production classes and default settings, runs every claim through BM25 alone, the vector search
 * alone and {@link HybridRetriever}, and prints nDCG@10 and Recall@100, the embedder's throughput, and the
 * similarity figures behind the proposed relevance threshold. Data from {@code ../shared/data/scifact} (or
 * {@code -Dscifact.dir}); skipped, with a message, without it. It runs in {@code ./mvnw verify} (the failsafe plugin)
 * and asserts the served hybrid ranking's nDCG@10 on the split. Embeddings are cached on disk by model and SHA-256 of
 * the text, outside the build directory ({@code ~/.cache/switchboard/scifact}, or {@code -Dscifact.cache}), so that
 * only the first run on a machine pays the embedding of the corpus and later runs take about a minute.
 * <p>
 * {@code verify} runs it on a sample of the corpus — the 565 abstracts the claims are judged against and 1,435 others
 * chosen by a fixed hash, 2,000 of the 5,183 ({@link SciFact#sample}) — so that a first run on a fresh machine embeds
 * 3,176 chunks instead of 8,127 (about two minutes instead of five on 2 cores); every claim is asked. The served
 * ranking's floor is set on that sample. {@code -Dscifact.full=true} (implied by {@code scifact.report} and
 * {@code scifact.sweep}) evaluates the whole split, as {@code bench/retrieval.sh} does end to end.
 * <p>
 * Tuning knobs (system properties): {@code scifact.targetTokens}, {@code scifact.overlapTokens},
 * {@code scifact.title} ({@code context}: title + heading path start each chunk; {@code paragraph}: the title is
 * the first paragraph; {@code none}), {@code scifact.instruction} (BGE's query instruction, default true),
 * {@code scifact.analysis}, {@code scifact.k1}, {@code scifact.b}, {@code scifact.m} and {@code scifact.beam} (HNSW),
 * {@code scifact.candidates}, {@code scifact.rrfK}, {@code scifact.lexicalWeight}, {@code scifact.denseWeight},
 * {@code scifact.sweep} (fusion grid), {@code scifact.bm25Sweep} (analysers and BM25 parameters grid),
 * {@code scifact.report} (true adds the baselines and the relevance figures: what {@code bench/RESULTS.md} quotes),
 * {@code scifact.throughput} (true adds the embedder's throughput measurement, which ignores the cache: about 15 s).
 */
class SciFactRetrievalIT {

    private static final Path DATA = Path.of(System.getProperty("scifact.dir", "../shared/data/scifact"));
    private static final Path CACHE = Path.of(System.getProperty("scifact.cache", System.getProperty("user.home")
            + "/.cache/switchboard/scifact"),
            "vectors-" + BgeSmallEmbedder.MODEL_ID + ".bin");

    /**
     * Whether to print the full report — BM25 and dense alone (HNSW and exact), the relevance decision's verdicts and
     * cost — which searches every claim three more times; {@code verify} only needs the served ranking's figure.
     */
    private static final boolean REPORT = Boolean.getBoolean("scifact.report") || Boolean.getBoolean("scifact.sweep");

    /** Whether to evaluate the whole corpus rather than verify's sample of it. */
    private static final boolean FULL = REPORT || Boolean.getBoolean("scifact.full");

    /** The abstracts of verify's sample. */
    private static final int SAMPLE_SIZE = 2_000;

    /** What the served hybrid ranking must reach on the whole training split (measured 0.7641 with the shipped settings). */
    private static final double NDCG_AT_10_FLOOR = 0.76;

    /** The same on verify's sample (measured 0.8333 with the shipped settings). */
    private static final double SAMPLE_NDCG_AT_10_FLOOR = 0.83;
    private static final UUID TENANT = UUID.nameUUIDFromBytes("scifact-tenant".getBytes(StandardCharsets.UTF_8));
    private static final UUID KNOWLEDGE_BASE = UUID.nameUUIDFromBytes("scifact".getBytes(StandardCharsets.UTF_8));
    private static final int DEPTH = 300;

    /** Questions a SciFact knowledge base cannot answer: what the relevance threshold should turn away. */
    private static final List<String> OFF_TOPIC = List.of("hello", "thanks, that's all", "What is the capital of Australia?",
            "How do I reset my password?", "Write me a poem about the sea", "What time does the office open on Saturday?",
            "Who won the football world cup in 2014?", "How do I configure nginx as a reverse proxy?",
            "What is the refund policy for annual subscriptions?", "Translate 'good morning' into French",
            "How many vacation days do new employees get?", "What is the best pizza topping?",
            "Explain the difference between TCP and UDP", "How do I install Python on Windows?",
            "What is the exchange rate between euro and dollar?", "Recommend a good science fiction novel",
            "How do I cancel my order?", "What's the weather like tomorrow in Paris?", "Who wrote Pride and Prejudice?",
            "How do I merge two branches in git?", "What is the speed of light in a vacuum?", "How tall is Mount Everest?",
            "Can I bring my dog to the office?", "What are the opening hours of the support hotline?",
            "Summarise the quarterly sales report", "Which invoice template should I use for international clients?",
            "How do I enable two-factor authentication?", "When was the Eiffel Tower built?", "What does HTTP 404 mean?",
            "How do I bake sourdough bread?", "good morning!", "Can you help me?", "What can you do?", "Tell me a joke",
            "Who is the CEO of the company?", "How do I submit my expense report?", "What is our parental leave policy?",
            "Where is the nearest train station?", "How do I connect to the office VPN?", "What is the wifi password for guests?",
            "Book a meeting room for Thursday at 3pm", "How do I change the billing address on my account?",
            "What is the difference between a list and a tuple in Python?", "How do I write a SQL join across three tables?",
            "Which Kubernetes version do we run in production?", "What are the lyrics of Bohemian Rhapsody?",
            "How many players are on a basketball team?", "What is the population of Canada?", "How do I file my taxes online?",
            "What does the error 'connection refused' mean?", "Compare the iPhone and the Pixel cameras", "How do I make a cappuccino?",
            "What is the plot of Hamlet?", "Where can I download the mobile app?", "How do I export a report to Excel?",
            "What is the shipping time to Germany?", "Plan a three-day trip to Rome", "How do I rotate the API keys?",
            "What's the difference between a stock and a bond?", "Who painted the Mona Lisa?");

    private final ChunkingPolicy policy = new ChunkingPolicy(intProperty("scifact.targetTokens", ChunkingPolicy.DEFAULT.targetTokens()),
            intProperty("scifact.overlapTokens", ChunkingPolicy.DEFAULT.overlapTokens()),
            !"none".equals(System.getProperty("scifact.title", "context")) && !"paragraph".equals(System.getProperty("scifact.title")));
    private final String titleMode = System.getProperty("scifact.title", "context");
    private final boolean instruction = Boolean.parseBoolean(System.getProperty("scifact.instruction", "true"));
    private final LuceneIndexSettings indexSettings = new LuceneIndexSettings(
            TextAnalysis.valueOf(System.getProperty("scifact.analysis", LuceneIndexSettings.DEFAULT.analysis().name())),
            Float.parseFloat(System.getProperty("scifact.k1", String.valueOf(LuceneIndexSettings.DEFAULT.bm25K1()))),
            Float.parseFloat(System.getProperty("scifact.b", String.valueOf(LuceneIndexSettings.DEFAULT.bm25B()))),
            intProperty("scifact.m", LuceneIndexSettings.DEFAULT.hnswMaxConnections()),
            intProperty("scifact.beam", LuceneIndexSettings.DEFAULT.hnswBeamWidth()));
    private final FusionSettings fusion = new FusionSettings(intProperty("scifact.candidates", FusionSettings.DEFAULT.candidates()),
            intProperty("scifact.rrfK", FusionSettings.DEFAULT.rrfK()),
            Double.parseDouble(System.getProperty("scifact.lexicalWeight", String.valueOf(FusionSettings.DEFAULT.lexicalWeight()))),
            Double.parseDouble(System.getProperty("scifact.denseWeight", String.valueOf(FusionSettings.DEFAULT.denseWeight()))));

    private final Map<UUID, String> corpusIds = new HashMap<>();

    @Test
    void trainingSplit(@TempDir Path temp) throws IOException {
        if (!Files.exists(DATA.resolve("corpus.jsonl"))) {
            printf("SciFactRetrievalIT skipped: no SciFact data in %s (set -Dscifact.dir to the directory holding corpus.jsonl)%n",
                    DATA.toAbsolutePath());
        }
        assumeTrue(Files.exists(DATA.resolve("corpus.jsonl")), "SciFact data not found in " + DATA.toAbsolutePath());
        SciFact data = FULL ? SciFact.load(DATA) : SciFact.load(DATA).sample(SAMPLE_SIZE);
        try (BgeSmallEmbedder model = new BgeSmallEmbedder()) {
            List<IndexedChunk> unembedded = chunk(data);
            printf("policy %s, title %s, %d chunks for %d abstracts%n", policy, titleMode, unembedded.size(), data.corpus().size());
            if (Boolean.parseBoolean(System.getProperty("scifact.throughput", "false"))) {
                measureThroughput(model, unembedded);
            }

            VectorCache cache = new VectorCache(CACHE);
            CachingEmbedder embedder = new CachingEmbedder(model, cache, instruction);
            long start = System.nanoTime();
            List<float[]> vectors = embedder.embedDocuments(unembedded.stream().map(IndexedChunk::text).toList());
            embedder.warmQueries(List.copyOf(data.queries().values()));
            printf("vectors ready in %.0f s (cache %d entries)%n", seconds(start), cache.size());
            List<IndexedChunk> chunks = withVectors(unembedded, vectors, embedder.modelId());

            Runs runs = search(chunks, data, embedder, temp.resolve("index"), indexSettings);
            if (REPORT) {
                report(runs, data, chunks, embedder);
            }
            else {
                line("hybrid " + fusion + " (-Dscifact.report=true for the baselines)", evaluate(runs.hybrid(), data));
            }
            if (Boolean.getBoolean("scifact.sweep")) {
                sweepFusion(runs, data);
            }
            if (Boolean.getBoolean("scifact.bm25Sweep")) {
                sweepBm25(chunks, data, temp);
            }
            assertThat(evaluate(runs.hybrid(), data).ndcgAt10())
                    .as("hybrid nDCG@10 on the SciFact training split (%d abstracts)", data.corpus().size())
                    .isGreaterThanOrEqualTo(FULL ? NDCG_AT_10_FLOOR : SAMPLE_NDCG_AT_10_FLOOR);
        }
    }

    /** What each query found: lexical and dense candidates to {@link #DEPTH}, and the retriever's own answer. */
    record Runs(Map<String, List<ChunkHit>> lexical, Map<String, List<ChunkHit>> dense, Map<String, Retrieval> hybrid) {
    }

    private List<IndexedChunk> chunk(SciFact data) {
        Chunker chunker = new Chunker(policy, new WordPieceTokenCounter());
        List<IndexedChunk> chunks = new ArrayList<>();
        for (SciFact.Abstract paper : data.corpus()) {
            UUID documentId = UUID.nameUUIDFromBytes(("doc:" + paper.id()).getBytes(StandardCharsets.UTF_8));
            corpusIds.put(documentId, paper.id());
            for (Chunk chunk : chunker.chunk(parsed(paper))) {
                UUID chunkId = UUID.nameUUIDFromBytes((paper.id() + "#" + chunk.ordinal()).getBytes(StandardCharsets.UTF_8));
                chunks.add(new IndexedChunk(TENANT, KNOWLEDGE_BASE, documentId, paper.title(), chunkId, chunk.ordinal(), chunk.location(),
                        chunk.text(), null, null));
            }
        }
        return chunks;
    }

    private ParsedDocument parsed(SciFact.Abstract paper) {
        ParsedDocument.Block body = new ParsedDocument.Block(ParsedDocument.Kind.PARAGRAPH, 0, 0, paper.text());
        if ("paragraph".equals(titleMode) && !paper.title().isBlank()) {
            return new ParsedDocument("", List.of(new ParsedDocument.Block(ParsedDocument.Kind.PARAGRAPH, 0, 0, paper.title()), body));
        }
        return new ParsedDocument(paper.title(), List.of(body));
    }

    /** Embeds a fixed sample of chunks afresh (no cache), as the ingestion would: chunks per second. */
    private static void measureThroughput(BgeSmallEmbedder embedder, List<IndexedChunk> chunks) {
        List<String> sample = chunks.stream().skip(1000).limit(384).map(IndexedChunk::text).toList();
        embedder.embedDocuments(sample.subList(0, 16));
        long start = System.nanoTime();
        embedder.embedDocuments(sample);
        double elapsed = seconds(start);
        WordPieceTokenCounter tokens = new WordPieceTokenCounter();
        double meanTokens = sample.stream().mapToInt(tokens::count).average().orElse(0);
        printf("embedding throughput: %.1f chunks/s (%d chunks of %.0f tokens on average, %d threads, %.1f s)%n", sample.size() / elapsed,
                sample.size(), meanTokens, Runtime.getRuntime().availableProcessors(), elapsed);
        long query = System.nanoTime();
        for (int i = 0; i < 20; i++) {
            embedder.embedQuery("Query latency sample number " + i + " about protein folding.");
        }
        printf("query embedding latency: %.1f ms%n", seconds(query) * 1000 / 20);
    }

    private static List<IndexedChunk> withVectors(List<IndexedChunk> chunks, List<float[]> vectors, String model) {
        List<IndexedChunk> embedded = new ArrayList<>(chunks.size());
        for (int i = 0; i < chunks.size(); i++) {
            IndexedChunk c = chunks.get(i);
            embedded.add(new IndexedChunk(c.tenantId(), c.knowledgeBaseId(), c.documentId(), c.documentName(), c.chunkId(), c.ordinal(),
                    c.location(), c.text(), model, vectors.get(i)));
        }
        return embedded;
    }

    private Runs search(List<IndexedChunk> chunks, SciFact data, CachingEmbedder embedder, Path directory, LuceneIndexSettings settings)
            throws IOException {
        try (LuceneChunkIndex index = new LuceneChunkIndex(directory, settings)) {
            long start = System.nanoTime();
            for (int from = 0; from < chunks.size(); from += 1000) {
                index.upsert(chunks.subList(from, Math.min(chunks.size(), from + 1000)));
            }
            index.mergeSegments(); // as served: the index merges its segments once idle
            printf("indexed %d chunks in %.1f s (%s)%n", chunks.size(), seconds(start), settings);
            HybridRetriever retriever = new HybridRetriever(index, embedder, fusion, RelevanceSettings.DEFAULT);
            Map<String, List<ChunkHit>> lexical = new LinkedHashMap<>();
            Map<String, List<ChunkHit>> dense = new LinkedHashMap<>();
            Map<String, Retrieval> hybrid = new LinkedHashMap<>();
            Set<UUID> scope = Set.of(KNOWLEDGE_BASE);
            start = System.nanoTime();
            for (Map.Entry<String, String> query : data.queries().entrySet()) {
                if (REPORT) {
                    lexical.put(query.getKey(), index.lexical(TENANT, scope, query.getValue(), DEPTH));
                    dense.put(query.getKey(), index.dense(TENANT, scope, embedder.modelId(), embedder.embedQuery(query.getValue()), DEPTH));
                }
                hybrid.put(query.getKey(), retriever.retrieve(TENANT, scope, query.getValue(), 100));
            }
            printf("searched %d queries in %.1f s%n", data.queries().size(), seconds(start));
            if (REPORT) {
                timeRelevanceDecision(data, lexical, dense, hybrid);
            }
            return new Runs(lexical, dense, hybrid);
        }
    }

    /**
     * What the relevance decision adds to a search: {@link RelevanceDecision#judge} on the candidate lists the
     * retriever fuses ({@code candidates} BM25 and dense hits of full-size chunks), after a warm-up round.
     */
    private void timeRelevanceDecision(SciFact data, Map<String, List<ChunkHit>> lexical, Map<String, List<ChunkHit>> dense,
            Map<String, Retrieval> hybrid) {
        RelevanceDecision decision = new RelevanceDecision(RelevanceSettings.DEFAULT);
        int candidates = fusion.candidates();
        long elapsed = 0;
        for (int round = 0; round < 2; round++) {
            long start = System.nanoTime();
            for (Map.Entry<String, String> query : data.queries().entrySet()) {
                decision.judge(query.getValue(), dense.get(query.getKey()).subList(0, Math.min(candidates, dense.get(query.getKey())
                        .size())),
                        lexical.get(query.getKey()).subList(0, Math.min(candidates, lexical.get(query.getKey()).size())),
                        hybrid.get(query.getKey()).hits());
            }
            elapsed = System.nanoTime() - start;
        }
        printf("relevance decision: %.2f ms per search (the text of %d dense candidate chunks analysed, %d queries)%n",
                elapsed / 1e6 / data.queries().size(), candidates, data.queries().size());
    }

    private void report(Runs runs, SciFact data, List<IndexedChunk> chunks, CachingEmbedder embedder) {
        printf("%nSciFact train, %d judged queries                 nDCG@10  Recall@100%n", evaluate(runs.lexical(), data, 100).queries());
        line("BM25 (" + indexSettings.analysis() + ", k1 " + indexSettings.bm25K1() + ", b " + indexSettings.bm25B() + ")",
                evaluate(runs.lexical(), data, DEPTH));
        ExactDense exact = new ExactDense(chunks);
        Map<String, List<ChunkHit>> exactHits = new LinkedHashMap<>();
        data.queries().forEach((id, text) -> exactHits.put(id, exact.search(embedder.embedQuery(text), DEPTH)));
        line("dense bge-small (HNSW, instruction " + instruction + ")", evaluate(runs.dense(), data, DEPTH));
        line("dense bge-small (exact)", evaluate(exactHits, data, DEPTH));
        line("hybrid " + fusion, evaluate(runs.hybrid(), data));
        new RelevanceThresholdReport(data, runs, exact, embedder, OFF_TOPIC, corpusIds).print();
    }

    private static void line(String name, Summary summary) {
        printf("%-48s %.4f   %.4f%n", name, summary.ndcgAt10(), summary.recallAt100());
    }

    /** Fusion parameters tried on the recorded candidate lists (exactly what the retriever would fuse). */
    private void sweepFusion(Runs runs, SciFact data) {
        record Result(FusionSettings settings, Summary summary) {
        }
        List<Result> results = new ArrayList<>();
        for (int candidates : new int[] {20, 50, 100, 200, 300}) {
            for (int k : new int[] {1, 5, 10, 20, 30, 60, 100}) {
                for (double lexicalWeight : new double[] {0.3, 0.5, 0.7, 0.8, 1.0, 1.25}) {
                    FusionSettings settings = new FusionSettings(candidates, k, lexicalWeight, 1.0);
                    Map<String, List<ChunkHit>> fused = new LinkedHashMap<>();
                    runs.lexical().forEach((id, lexical) -> fused.put(id, ReciprocalRankFusion.fuse(lexical.subList(0, Math.min(candidates,
                            lexical.size())), runs.dense().get(id).subList(0, Math.min(candidates, runs.dense().get(id).size())), settings,
                            300)));
                    results.add(new Result(settings, evaluate(fused, data, 300)));
                }
            }
        }
        results.sort(Comparator.comparingDouble((Result result) -> result.summary().ndcgAt10()).reversed());
        printf("%nfusion sweep (top 25 of %d)%n", results.size());
        results.stream().limit(25).forEach(result -> line(result.settings().toString(), result.summary()));
    }

    /** Analysers and BM25 parameters, BM25 alone (each a fresh index with the same vectors). */
    private void sweepBm25(List<IndexedChunk> chunks, SciFact data, Path temp) throws IOException {
        printf("%nBM25 sweep%n");
        int run = 0;
        for (TextAnalysis analysis : TextAnalysis.values()) {
            for (float[] kb : new float[][] {{0.9f, 0.4f}, {1.2f, 0.75f}, {0.6f, 0.3f}, {1.2f, 0.4f}, {0.9f, 0.6f}, {1.5f, 0.5f}, {0.7f,
                    0.5f}, {1.2f, 0.2f}}) {
                LuceneIndexSettings settings = new LuceneIndexSettings(analysis, kb[0], kb[1], 16, 100);
                Map<String, List<ChunkHit>> lexical = new LinkedHashMap<>();
                try (LuceneChunkIndex index = new LuceneChunkIndex(temp.resolve("bm25-" + run++), settings)) {
                    index.upsert(chunks);
                    data.queries().forEach((id, text) -> lexical.put(id, index.lexical(TENANT, Set.of(KNOWLEDGE_BASE), text, 100)));
                }
                line("BM25 " + analysis + " k1 " + kb[0] + " b " + kb[1], evaluate(lexical, data, 100));
            }
        }
    }

    private Summary evaluate(Map<String, List<ChunkHit>> hits, SciFact data, int depth) {
        Map<String, List<String>> rankings = new HashMap<>();
        hits.forEach((id, list) -> rankings.put(id, RetrievalEvaluation.documentRanking(
                list.stream().limit(depth).map(hit -> corpusIds.get(hit.documentId())).toList())));
        return RetrievalEvaluation.evaluate(rankings, data.qrels());
    }

    private Summary evaluate(Map<String, Retrieval> retrievals, SciFact data) {
        Map<String, List<ChunkHit>> hits = new LinkedHashMap<>();
        retrievals.forEach((id, retrieval) -> hits.put(id, retrieval.hits()));
        return evaluate(hits, data, Integer.MAX_VALUE);
    }

    private static int intProperty(String name, int fallback) {
        return Integer.parseInt(System.getProperty(name, String.valueOf(fallback)));
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    static void printf(String format, Object... args) {
        System.out.printf(Locale.ROOT, format, args);
        System.out.flush();
    }

    /** Brute-force cosine search over all chunks: the reference the HNSW graph approximates. */
    static final class ExactDense {

        private final List<IndexedChunk> chunks;

        ExactDense(List<IndexedChunk> chunks) {
            this.chunks = chunks;
        }

        List<ChunkHit> search(float[] query, int limit) {
            List<ChunkHit> hits = new ArrayList<>(chunks.size());
            for (IndexedChunk chunk : chunks) {
                double dot = 0;
                for (int i = 0; i < query.length; i++) {
                    dot += query[i] * chunk.vector()[i];
                }
                hits.add(new ChunkHit(chunk.chunkId(), chunk.documentId(), chunk.documentName(), chunk.knowledgeBaseId(), chunk.ordinal(),
                        chunk.location(), chunk.text(), dot));
            }
            hits.sort(Comparator.comparingDouble(ChunkHit::score).reversed());
            return List.copyOf(hits.subList(0, Math.min(limit, hits.size())));
        }

        /** The best cosine of each document's chunks. */
        Map<UUID, Double> bestPerDocument(float[] query) {
            Map<UUID, Double> best = new HashMap<>();
            for (ChunkHit hit : search(query, chunks.size())) {
                best.putIfAbsent(hit.documentId(), hit.score());
            }
            return best;
        }
    }
}
