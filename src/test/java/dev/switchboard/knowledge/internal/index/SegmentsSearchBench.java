package dev.switchboard.knowledge.internal.index;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import bench.SearchBench;
import dev.switchboard.knowledge.internal.embedding.BgeSmallEmbedder;
import dev.switchboard.knowledge.internal.retrieval.FusionSettings;
import dev.switchboard.knowledge.internal.retrieval.ReciprocalRankFusion;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Scratch measurement (not a test, run by hand with {@code java -cp …}): the CPU of a search's candidates, fusion and
 * completion over 100,000 chunks with the index in the segments its writes left, and merged by {@link LuceneChunkIndex#mergeSegments}
 * — both indexes open in this JVM, searched in turns with the same queries, CPU per search from
 * {@link ThreadMXBean#getCurrentThreadCpuTime()}. The chunks are bench/search.sh's: SciFact abstracts embedded once (kept
 * in the work directory), the rest synthetic (half of one abstract + half of another, vector the normalised sum), written a
 * page of 256 at a time with a commit each, as the index follower writes them.
 * <p>
 * Arguments: corpus.jsonl, queries-train.jsonl, a work directory; env ABSTRACTS (600), CHUNKS (100000), QUERIES (300),
 * ROUNDS (3), MERGED_ONLY (0; 1 searches the merged index only, e.g. under a profiler), LEXICAL (1: BM25 on the merged index with
 * and without the scope filter).
 */
public final class SegmentsSearchBench {

    private static final UUID TENANT = UUID.nameUUIDFromBytes("tenant".getBytes(StandardCharsets.UTF_8));
    private static final UUID BASE = UUID.nameUUIDFromBytes("base".getBytes(StandardCharsets.UTF_8));
    private static final String MODEL = BgeSmallEmbedder.MODEL_ID;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private SegmentsSearchBench() {
    }

    public static void main(String[] args) throws Exception {
        Path corpus = Path.of(args[0]);
        Path queriesFile = Path.of(args[1]);
        Path work = Files.createDirectories(Path.of(args[2]));
        int abstracts = env("ABSTRACTS", 600);
        int total = env("CHUNKS", 100_000);
        Path unmerged = work.resolve("unmerged-" + total);
        Path merged = work.resolve("merged-" + total);
        List<String> queries = new ArrayList<>();
        for (String line : Files.readAllLines(queriesFile)) {
            if (!line.isBlank()) {
                queries.add(JsonMapper.shared().readTree(line).path("text").asString());
            }
        }
        queries = queries.subList(0, Math.min(queries.size(), env("QUERIES", 300)));
        List<float[]> queryVectors = new ArrayList<>();
        try (BgeSmallEmbedder model = new BgeSmallEmbedder()) {
            if (!Files.exists(unmerged)) {
                build(model, corpus, work, abstracts, total, unmerged);
            }
            for (String query : queries) {
                queryVectors.add(model.embedQuery(query));
            }
        }
        if (!Files.exists(merged)) {
            copy(unmerged, merged);
            try (LuceneChunkIndex index = new LuceneChunkIndex(merged)) {
                int before = index.segments();
                double cpu = processCpuSeconds();
                long t = System.nanoTime();
                index.mergeSegments();
                System.out.printf("merge: %d → %d segments, %.1f s CPU (process), %.1f s wall, load %s%n", before, index.segments(),
                        processCpuSeconds() - cpu, (System.nanoTime() - t) / 1e9, load());
            }
        }
        if (env("LEXICAL", 0) == 1) {
            lexical(merged, queries);
            System.exit(0);
        }
        try (LuceneChunkIndex a = new LuceneChunkIndex(unmerged); LuceneChunkIndex b = new LuceneChunkIndex(merged)) {
            System.out.printf("vector module: %s; segments %d vs %d; load at start %s%n", ModuleLayer.boot().findModule(
                    "jdk.incubator.vector").isPresent() ? "on" : "off", a.segments(), b.segments(), load());
            int rounds = env("ROUNDS", 3);
            boolean mergedOnly = env("MERGED_ONLY", 0) == 1;
            double[][] cpu = new double[2][];
            for (int round = 0; round <= rounds; round++) { // round 0 warms up
                double[][] measured = {new double[queries.size()], new double[queries.size()]};
                for (int i = 0; i < queries.size(); i++) {
                    // A/B interleaved, the order swapped every query
                    for (int k = 0; k < 2; k++) {
                        int which = (i + k) % 2;
                        if (mergedOnly && which == 0) {
                            continue;
                        }
                        measured[which][i] = search(which == 0 ? a : b, queries.get(i), queryVectors.get(i));
                    }
                }
                if (round > 0) {
                    cpu[0] = concat(cpu[0], measured[0]);
                    cpu[1] = concat(cpu[1], measured[1]);
                }
            }
            System.out.printf("candidates+fusion+complete CPU ms over %d searches each: unmerged (%d segments) p50 %.2f p90 %.2f "
                    + "p99 %.2f mean %.2f | merged (%d) p50 %.2f p90 %.2f p99 %.2f mean %.2f | mean ratio %.2f; load at end %s%n",
                    cpu[0].length, a.segments(), pct(cpu[0], 50), pct(cpu[0], 90), pct(cpu[0], 99), mean(cpu[0]), b.segments(), pct(cpu[1],
                            50), pct(cpu[1], 90), pct(cpu[1], 99), mean(cpu[1]), mean(cpu[0]) / mean(cpu[1]), load());
        }
        System.exit(0);
    }

    private static double search(LuceneChunkIndex index, String query, float[] vector) {
        long t = THREADS.getCurrentThreadCpuTime();
        Candidates found = index.candidates(TENANT, Set.of(BASE), MODEL, vector, query, FusionSettings.DEFAULT.candidates());
        List<ChunkHit> kept = found.complete(ReciprocalRankFusion.fuse(found.lexical(), found.dense(), FusionSettings.DEFAULT, 8));
        if (kept.isEmpty()) {
            throw new IllegalStateException("no hit for " + query);
        }
        return (THREADS.getCurrentThreadCpuTime() - t) / 1e6;
    }

    /** BM25's top 100 on the merged index with the scope filter and without it, in turns: what the filter costs. */
    private static void lexical(Path merged, List<String> queries) throws Exception {
        try (org.apache.lucene.store.FSDirectory directory = org.apache.lucene.store.FSDirectory.open(merged);
                org.apache.lucene.index.DirectoryReader reader = org.apache.lucene.index.DirectoryReader.open(directory)) {
            org.apache.lucene.search.IndexSearcher searcher = new org.apache.lucene.search.IndexSearcher(reader);
            searcher.setSimilarity(new org.apache.lucene.search.similarities.BM25Similarity(0.9f, 0.4f));
            org.apache.lucene.search.Query scope = Queries.scope(TENANT, Set.of(BASE));
            double[][] cpu = new double[2][];
            for (int round = 0; round <= 3; round++) {
                double[][] measured = {new double[queries.size()], new double[queries.size()]};
                for (int i = 0; i < queries.size(); i++) {
                    var terms = Queries.terms(LuceneIndexSettings.DEFAULT.analysis().analyzer(), queries.get(i));
                    for (int k = 0; k < 2; k++) {
                        int which = (i + k) % 2;
                        var query = Queries.lexical(terms, which == 0 ? scope : org.apache.lucene.search.MatchAllDocsQuery.INSTANCE);
                        long t = THREADS.getCurrentThreadCpuTime();
                        searcher.search(query, FusionSettings.DEFAULT.candidates());
                        measured[which][i] = (THREADS.getCurrentThreadCpuTime() - t) / 1e6;
                    }
                }
                if (round > 0) {
                    cpu[0] = concat(cpu[0], measured[0]);
                    cpu[1] = concat(cpu[1], measured[1]);
                }
            }
            System.out.printf(
                    "BM25 top %d CPU ms: with the scope filter p50 %.2f p99 %.2f mean %.2f | without p50 %.2f p99 %.2f mean %.2f; "
                            + "load %s%n", FusionSettings.DEFAULT.candidates(), pct(cpu[0], 50), pct(cpu[0], 99), mean(cpu[0]), pct(cpu[1],
                                    50),
                    pct(cpu[1], 99), mean(cpu[1]), load());
        }
    }

    private record Source(String text, float[] vector) {
    }

    private static void build(BgeSmallEmbedder model, Path corpus, Path work, int abstracts, int total, Path path) throws Exception {
        List<String> texts = new ArrayList<>();
        for (String line : Files.readAllLines(corpus)) {
            if (!line.isBlank() && texts.size() < abstracts) {
                JsonNode entry = JsonMapper.shared().readTree(line);
                // a chunk's length (the abstracts' first 120 words), to keep the one-off embedding short on a loaded machine
                String[] words = (entry.path("title").asString("") + "\n\n" + entry.path("text").asString("")).split(" ");
                texts.add(String.join(" ", Arrays.copyOfRange(words, 0, Math.min(words.length, 120))));
            }
        }
        List<float[]> vectors = vectors(model, texts, work.resolve("vectors-" + abstracts + ".bin"));
        List<Source> sources = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            sources.add(new Source(texts.get(i), vectors.get(i)));
        }
        Random random = new Random(7);
        Path building = path.resolveSibling(path.getFileName() + ".building");
        double cpu = processCpuSeconds();
        long t = System.nanoTime();
        try (LuceneChunkIndex index = new LuceneChunkIndex(building)) {
            List<IndexedChunk> page = new ArrayList<>();
            for (int k = 0; k < total; k++) {
                Source chunk;
                if (k < sources.size()) {
                    chunk = sources.get(k);
                }
                else {
                    Source x = sources.get(random.nextInt(sources.size()));
                    Source y = sources.get(random.nextInt(sources.size()));
                    chunk = new Source(SearchBench.half(x.text(), true) + " " + SearchBench.half(y.text(), false), SearchBench.sum(x
                            .vector(), y.vector()));
                }
                UUID document = UUID.nameUUIDFromBytes(("document-" + k / 2).getBytes(StandardCharsets.UTF_8));
                page.add(new IndexedChunk(TENANT, BASE, document, "document-" + k / 2 + ".md", UUID.randomUUID(), k % 2, null, chunk
                        .text(), MODEL, chunk.vector()));
                if (page.size() == IndexFollower.PAGE) {
                    index.upsert(page);
                    page = new ArrayList<>();
                }
            }
            index.upsert(page);
            System.out.printf("built %,d chunks in %d segments: %.0f s CPU (process, merges included), %.0f s wall, load %s%n", total,
                    index.segments(), processCpuSeconds() - cpu, (System.nanoTime() - t) / 1e9, load());
        }
        Files.move(building, path);
    }

    private static List<float[]> vectors(BgeSmallEmbedder model, List<String> texts, Path file) throws Exception {
        List<float[]> vectors = new ArrayList<>();
        if (Files.exists(file)) {
            try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
                for (int i = 0; i < texts.size(); i++) {
                    float[] vector = new float[BgeSmallEmbedder.DIMENSION];
                    for (int d = 0; d < vector.length; d++) {
                        vector[d] = in.readFloat();
                    }
                    vectors.add(vector);
                }
            }
            return vectors;
        }
        for (int i = 0; i < texts.size(); i += 32) {
            vectors.addAll(model.embedDocuments(texts.subList(i, Math.min(texts.size(), i + 32))));
            if (i % 160 == 0) {
                System.err.printf("embedded %d of %d%n", i, texts.size());
            }
        }
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(file))) {
            for (float[] vector : vectors) {
                for (float value : vector) {
                    out.writeFloat(value);
                }
            }
        }
        return vectors;
    }

    private static void copy(Path from, Path to) throws Exception {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.toList()) {
                if (!file.getFileName().toString().equals("write.lock")) {
                    Files.copy(file, to.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static double processCpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
    }

    private static String load() throws Exception {
        return Files.readString(Path.of("/proc/loadavg")).substring(0, 14);
    }

    private static int env(String name, int fallback) {
        String value = System.getenv(name);
        return value == null ? fallback : Integer.parseInt(value);
    }

    private static double[] concat(double[] a, double[] b) {
        if (a == null) {
            return b;
        }
        double[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static double mean(double[] values) {
        return Arrays.stream(values).average().orElse(Double.NaN);
    }

    private static double pct(double[] values, double p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100 * sorted.length) - 1)];
    }
}
