package bench;

import static bench.support.Bench.*;
import static bench.support.Load.*;
import static bench.support.Percentiles.pct;
import static bench.support.Verdicts.verdict;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

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
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import tools.jackson.databind.JsonNode;

/**
 * Knowledge benchmarks (bench/ingestion.sh and bench/search.sh run it with the mode as first argument). Each
 * starts Switchboard as a child process through {@link App} and uploads SciFact abstracts over HTTP
 * ({@code POST /api/documents}, alternately as Markdown and as HTML) with the bootstrap admin's API key:
 * <ul>
 * <li>{@code ingestion}: chunks per second from the first upload until every document is {@code indexed}, against the
 * in-process bge-small ({@link BgeSmallEmbedder}, in this JVM while Switchboard idles) embedding the very chunk texts
 * the pipeline made, batched as the pipeline batches them; the two taking turns. Process CPU time of each side and a
 * JFR profile of Switchboard by ingestion stage.</li>
 * <li>{@code search}: {@code POST /api/knowledge/search} latency over a knowledge base of 100,000 chunks: SciFact
 * abstracts ingested by the real pipeline, the rest written through the same index code ({@link LuceneChunkIndex})
 * while Switchboard is stopped (see {@link #fill}); against the pipeline's own SciFact knowledge base, the query
 * embedding alone and {@code GET /health/live}; then the retrieval's stages timed in-process.</li>
 * </ul>
 * Prints markdown lines for the calling script to append to bench/RESULTS.md; progress goes to stderr.
 */
public class KnowledgeBench {

    static final String NO_PROVIDER = "http://127.0.0.1:9";
    static final String MODEL = BgeSmallEmbedder.MODEL_ID;

    /** Extra JVM options for Switchboard (APP_JVM_ARGS, space-separated), e.g. {@code --add-modules jdk.incubator.vector}. */
    static List<String> appJvmArgs() {
        String value = System.getenv().getOrDefault("APP_JVM_ARGS", "").strip();
        return value.isEmpty() ? List.of() : List.of(value.split("\\s+"));
    }

    record Paper(String id, String title, String text) {
    }

    /** A document as uploaded: every other one Markdown, the others HTML. */
    record Upload(String name, byte[] content) {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        Path jar = Path.of(args[1]);
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.ERROR); // the model's start-up lines (DJL, ONNX Runtime)
        WORK = Path.of(args[2]);
        OUT = Path.of(args[3]);
        List<Paper> papers = papers(Path.of(args[4]));
        switch (mode) {
            case "ingestion" -> ingestion(jar, papers);
            case "search" -> search(jar, papers, Path.of(args[5]));
            case "mcp" -> mcp(jar, papers, Path.of(args[5]));
            default -> throw new IllegalArgumentException("mode: ingestion, search or mcp");
        }
        System.exit(0);
    }

    // =====================================================================================================
    // Ingestion
    // =====================================================================================================

    record Round(int documents, int chunks, int failed, double seconds, double uploadSeconds, Cpu cpu) {

        double rate() {
            return chunks / seconds;
        }
    }

    record Raw(String label, int chunks, double seconds, double cpuSeconds) {

        double rate() {
            return chunks / seconds;
        }
    }

    static void ingestion(Path jar, List<Paper> papers) throws Exception {
        int documents = env("DOCS", 1000);
        int rounds = env("ROUNDS", 2);
        int uploaders = env("UPLOAD_CLIENTS", 4);
        int workers = env("INGESTION_WORKERS", 2);
        List<Upload> uploads = uploads(papers.subList(0, Math.min(documents, papers.size())));
        List<Round> ingested = new ArrayList<>();
        List<Raw> byDocument = new ArrayList<>();
        List<Raw> batchesOf32 = new ArrayList<>();
        List<String> profile;
        try (App app = App.start(jar, "ingestion", NO_PROVIDER, appJvmArgs(),
                List.of("--switchboard.knowledge.ingestion-workers=" + workers));
                BgeSmallEmbedder model = new BgeSmallEmbedder()) {
            useAdminKey(app);
            log("warm-up: 40 other abstracts through Switchboard, 64 chunks through the model here");
            UUID warm = knowledgeBase(app, "warm-up");
            ingest(app, warm, uploads(papers.subList(papers.size() - 40, papers.size())), uploaders);
            model.embedDocuments(papers.subList(papers.size() - 64, papers.size()).stream().map(Paper::text).toList());
            List<List<String>> chunkTexts = null;
            Path jfr = OUT.resolve("ingestion.jfr");
            for (int round = 1; round <= rounds; round++) {
                UUID base = knowledgeBase(app, "round " + round);
                boolean record = round == rounds;
                if (record) {
                    jcmd(app.process.pid(), "JFR.start", "name=ingestion", "settings=profile", "filename=" + jfr);
                }
                log("round %d: uploading %d documents into a fresh knowledge base", round, uploads.size());
                Round result = ingest(app, base, uploads, uploaders);
                if (record) {
                    jcmd(app.process.pid(), "JFR.stop", "name=ingestion");
                }
                log("round %d: %d chunks in %.1f s: %.1f chunks/s", round, result.chunks(), result.seconds(), result.rate());
                ingested.add(result);
                if (chunkTexts == null) {
                    chunkTexts = chunkTexts(app, base);
                }
                batchesOf32.add(rawBatches(model, chunkTexts));
                byDocument.add(rawByDocument(model, chunkTexts, workers));
                log("round %d raw: %s; %s", round, batchesOf32.getLast(), byDocument.getLast());
            }
            profile = ingestionProfile(jfr);
        }
        printIngestion(ingested, byDocument, batchesOf32, profile, uploaders, workers);
    }

    static void printIngestion(List<Round> ingested, List<Raw> byDocument, List<Raw> batchesOf32, List<String> profile, int uploaders,
            int workers) {
        System.out.println(
                "| round | what | documents | chunks | failed | seconds | chunks/s | CPU s: Switchboard JVM / PostgreSQL / this JVM |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (int i = 0; i < ingested.size(); i++) {
            Round r = ingested.get(i);
            System.out.println(f(
                    "| %d | end to end: upload over HTTP (%d clients) → `indexed` (uploads done after %.1f s) | %d | %d | %s | %.1f | %.1f | %.1f / %.1f / %.1f |",
                    i + 1, uploaders, r.uploadSeconds(), r.documents(), r.chunks(), r.failed() == 0 ? "0" : "**" + r.failed() + "**",
                    r.seconds(), r.rate(), r.cpu().app(), r.cpu().postgres(), r.cpu().self()));
            for (Raw raw : List.of(byDocument.get(i), batchesOf32.get(i))) {
                System.out.println(f("| %d | %s | | %d | | %.1f | %.1f | – / – / %.1f |", i + 1, raw.label(), raw.chunks(), raw.seconds(),
                        raw.rate(), raw.cpuSeconds()));
            }
        }
        System.out.println();
        double end = ingested.stream().mapToDouble(Round::chunks).sum() / ingested.stream().mapToDouble(Round::seconds).sum();
        double raw = byDocument.stream().mapToDouble(Raw::chunks).sum() / byDocument.stream().mapToDouble(Raw::seconds).sum();
        double best = batchesOf32.stream().mapToDouble(Raw::chunks).sum() / batchesOf32.stream().mapToDouble(Raw::seconds).sum();
        System.out.println(f("- **end to end %.1f chunks/s against the model alone on the same chunks batched as the pipeline batches them "
                + "%.1f chunks/s: %.2f of raw → target ≥ 0.8 %s**; against the model's best batching here (32 chunks a call) %.1f chunks/s: %.2f",
                end, raw, end / raw, verdict(end / raw >= 0.8, ingested.stream().mapToLong(Round::failed).sum()), best, end / best));
        Round last = ingested.getLast();
        Raw lastRaw = byDocument.getLast();
        System.out.println(f(
                "- CPU per chunk: end to end %.1f ms in the Switchboard JVM + %.1f ms in PostgreSQL (+ %.1f ms uploading, in the "
                        + "load generator); the model alone %.1f ms (last round)", 1000 * last.cpu().app() / last.chunks(),
                1000 * last.cpu().postgres() / last.chunks(), 1000 * last.cpu().self() / last.chunks(), 1000 * lastRaw.cpuSeconds()
                        / lastRaw.chunks()));
        profile.forEach(System.out::println);
    }

    /** Uploads the documents from {@code clients} clients and waits until every one is indexed or failed. */
    static Round ingest(App app, UUID base, List<Upload> uploads, int clients) throws Exception {
        Cpu before = Cpu.of(app);
        long started = System.currentTimeMillis();
        AtomicInteger next = new AtomicInteger();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                done.add(pool.submit(() -> {
                    for (int i; (i = next.getAndIncrement()) < uploads.size();) {
                        HttpResponse<String> response = upload(app, base, uploads.get(i));
                        if (response.statusCode() != 202) {
                            throw new IllegalStateException("upload answered " + response.statusCode() + ": " + response.body());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        double uploadSeconds = (System.currentTimeMillis() - started) / 1000.0;
        try (Connection db = app.db();
                PreparedStatement progress = db.prepareStatement("select count(*) filter (where status in "
                        + "('indexed', 'failed')), count(*) filter (where status = 'failed'), coalesce(sum(chunks_done), 0), "
                        + "extract(epoch from max(updated_at)) * 1000 from knowledge_documents where knowledge_base_id = ?")) {
            progress.setObject(1, base);
            long deadline = System.nanoTime() + Duration.ofHours(2).toNanos();
            while (System.nanoTime() < deadline) {
                try (ResultSet r = progress.executeQuery()) {
                    r.next();
                    if (r.getInt(1) >= uploads.size()) {
                        Cpu used = Cpu.of(app).minus(before);
                        return new Round(uploads.size(), r.getInt(3), r.getInt(2), (r.getDouble(4) - started) / 1000.0, uploadSeconds,
                                used);
                    }
                }
                Thread.sleep(250);
            }
        }
        throw new IllegalStateException("ingestion did not finish within 2 hours");
    }

    /** The chunk texts the pipeline made, each document's in order, in the order the documents were uploaded. */
    static List<List<String>> chunkTexts(App app, UUID base) throws Exception {
        Map<UUID, List<String>> documents = new LinkedHashMap<>();
        try (Connection db = app.db();
                PreparedStatement chunks = db.prepareStatement("select c.document_id, c.text from knowledge_chunks c "
                        + "join knowledge_documents d on d.id = c.document_id where d.knowledge_base_id = ? order by d.created_at, d.id, c.ordinal")) {
            chunks.setObject(1, base);
            try (ResultSet r = chunks.executeQuery()) {
                while (r.next()) {
                    documents.computeIfAbsent(r.getObject(1, UUID.class), id -> new ArrayList<>()).add(r.getString(2));
                }
            }
        }
        return new ArrayList<>(documents.values());
    }

    /** The model alone, called as the pipeline calls it: one call per document (≤ 32 chunks), from {@code workers} threads. */
    static Raw rawByDocument(BgeSmallEmbedder model, List<List<String>> documents, int workers) throws Exception {
        double cpu = Cpu.ofThisJvm();
        long t = System.nanoTime();
        AtomicInteger next = new AtomicInteger();
        try (ExecutorService pool = Executors.newFixedThreadPool(workers)) {
            for (int w = 0; w < workers; w++) {
                pool.submit(() -> {
                    for (int i; (i = next.getAndIncrement()) < documents.size();) {
                        List<String> chunks = documents.get(i);
                        for (int from = 0; from < chunks.size(); from += 32) {
                            model.embedDocuments(chunks.subList(from, Math.min(chunks.size(), from + 32)));
                        }
                    }
                    return null;
                });
            }
        }
        int chunks = documents.stream().mapToInt(List::size).sum();
        return new Raw(f("the model alone (`BgeSmallEmbedder.embedDocuments` in the load generator's JVM, Switchboard idle), one call per "
                + "document as the pipeline makes them, %d calling threads", workers), chunks, (System.nanoTime() - t) / 1e9, Cpu
                        .ofThisJvm() - cpu);
    }

    /** The model alone in its best batching: 32 consecutive chunks a call, from one thread (the model's own workers run them). */
    static Raw rawBatches(BgeSmallEmbedder model, List<List<String>> documents) {
        List<String> all = documents.stream().flatMap(List::stream).toList();
        double cpu = Cpu.ofThisJvm();
        long t = System.nanoTime();
        for (int from = 0; from < all.size(); from += 32) {
            model.embedDocuments(all.subList(from, Math.min(all.size(), from + 32)));
        }
        return new Raw("the model alone, 32 consecutive chunks a call (its best batching)", all.size(), (System.nanoTime() - t) / 1e9,
                Cpu.ofThisJvm() - cpu);
    }

    /** Ingestion stages, innermost first: the first whose prefix a sample's stack (leaf to root) shows takes the sample. */
    static final String[][] INGESTION_STAGES = {
            {"embedding (bge-small: ONNX Runtime inference, tokenizer, pooling)", "ai.onnxruntime.", "ai.djl.", "dev.langchain4j.",
                    "dev.switchboard.knowledge.internal.embedding."},
            {"Lucene index (inverted index, HNSW graph, commit, merges, searcher refresh)", "org.apache.lucene.",
                    "dev.switchboard.knowledge.internal.index."},
            {"parsing (Tika: type detection, HTML/Markdown to structure)", "org.apache.tika.",
                    "dev.switchboard.knowledge.internal.parsing."},
            {"chunking (token counting, sentence splitting)", "dev.switchboard.knowledge.internal.chunking."},
            {"cleaning extracted text (regular expressions)", "dev.switchboard.knowledge.internal.ingestion.IngestionPipeline.clean"},
            {"database (JDBC, HikariCP, db-scheduler polling and job rows)", "org.postgresql.", "com.zaxxer.hikari.",
                    "com.github.kagkarlsson.", "org.springframework.jdbc."},
            {"upload request (Tomcat, multipart, Spring MVC and Security, storing the file)", "org.apache.catalina.", "org.apache.coyote.",
                    "org.apache.tomcat.", "org.springframework.web.", "org.springframework.security.",
                    "dev.switchboard.knowledge.internal.Documents", "dev.switchboard.knowledge.internal.DocumentStore"},
            {"rest of the pipeline (IngestionPipeline)", "dev.switchboard.knowledge.internal.ingestion."},
    };

    static final String OTHER = "other Java code (Spring, JDK, metrics, logging)";

    /** Where Switchboard's CPU went while ingesting: JFR execution samples, plus native samples inside ONNX Runtime (inference). */
    static List<String> ingestionProfile(Path jfr) throws IOException {
        Map<String, Integer> stages = new LinkedHashMap<>();
        for (String[] stage : INGESTION_STAGES) {
            stages.put(stage[0], 0);
        }
        stages.put(OTHER, 0);
        int total = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(jfr)) {
            String type = event.getEventType().getName();
            boolean cpu = type.equals("jdk.ExecutionSample");
            if (!cpu && !type.equals("jdk.NativeMethodSample") || event.getStackTrace() == null) {
                continue;
            }
            List<RecordedFrame> frames = event.getStackTrace().getFrames();
            if (!cpu && (frames.isEmpty() || !frames.getFirst().getMethod().getType().getName().startsWith("ai.onnxruntime."))) {
                continue; // a thread waiting in native code (sockets, epoll), not running
            }
            // The profile settings sample running Java code every 10 ms and native code every 20 ms.
            int weight = cpu ? 1 : 2;
            total += weight;
            stages.merge(stage(frames), weight, Integer::sum);
        }
        int samples = total;
        List<String> lines = new ArrayList<>();
        lines.add(f(
                "- profile: JFR (`settings=profile`) of the Switchboard JVM during the last round, %d samples (execution samples every 10 ms, and "
                        + "native samples inside ONNX Runtime, where inference runs, every 20 ms and so counted twice), each in the innermost stage on its stack:",
                samples));
        lines.add("  " + String.join("; ", stages.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue())
                .map(e -> f("%s %.0f %%", e.getKey(), 100.0 * e.getValue() / Math.max(1, samples))).toList()));
        return lines;
    }

    static String stage(List<RecordedFrame> frames) {
        for (RecordedFrame frame : frames) {
            String name = frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
            for (String[] stage : INGESTION_STAGES) {
                for (int i = 1; i < stage.length; i++) {
                    if (name.startsWith(stage[i])) {
                        return stage[0];
                    }
                }
            }
        }
        return OTHER;
    }

    /** CPU seconds used so far by the Switchboard JVM, its PostgreSQL (postmaster, children, reaped children) and this JVM. */
    record Cpu(double app, double postgres, double self) {

        static final double TICKS = 100.0;

        static Cpu of(App app) throws IOException {
            double postgres = 0;
            Path pidFile = app.data.resolve("postgres/postmaster.pid");
            if (Files.exists(pidFile)) {
                long postmaster = Long.parseLong(Files.readAllLines(pidFile).getFirst().strip());
                postgres = ticks(postmaster, true);
                try (var processes = Files.list(Path.of("/proc"))) {
                    for (Path p : processes.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                        long[] stat = stat(Long.parseLong(p.getFileName().toString()));
                        if (stat != null && stat[0] == postmaster) {
                            postgres += (stat[1] + stat[2]) / TICKS;
                        }
                    }
                }
            }
            return new Cpu(ticks(app.process.pid(), false), postgres, ofThisJvm());
        }

        static double ofThisJvm() {
            try {
                return ticks(ProcessHandle.current().pid(), false);
            }
            catch (IOException ex) {
                return Double.NaN;
            }
        }

        Cpu minus(Cpu other) {
            return new Cpu(app - other.app, postgres - other.postgres, self - other.self);
        }

        static double ticks(long pid, boolean withReapedChildren) throws IOException {
            long[] stat = stat(pid);
            return stat == null ? 0 : (stat[1] + stat[2] + (withReapedChildren ? stat[3] + stat[4] : 0)) / TICKS;
        }

        /** ppid, utime, stime, cutime, cstime from /proc/pid/stat, or null when the process is gone. */
        static long[] stat(long pid) {
            try {
                String line = Files.readString(Path.of("/proc/" + pid + "/stat"));
                String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
                return new long[] {Long.parseLong(fields[1]), Long.parseLong(fields[11]), Long.parseLong(fields[12]),
                        Long.parseLong(fields[13]), Long.parseLong(fields[14])};
            }
            catch (IOException | RuntimeException gone) {
                return null;
            }
        }
    }

    // =====================================================================================================
    // Search over 100,000 chunks
    // =====================================================================================================

    static void search(Path jar, List<Paper> papers, Path queriesFile) throws Exception {
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

    static int random(Random random, int bound) {
        synchronized (random) {
            return random.nextInt(bound);
        }
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

    static double[] ok(List<Sample> samples) {
        return samples.stream().filter(Sample::ok).mapToDouble(Sample::ms).toArray();
    }

    static Sample search(App app, UUID base, String query, int topK) throws Exception {
        String body = JSON.writeValueAsString(Map.of("query", query, "knowledgeBaseIds", List.of(base.toString()), "topK", topK));
        long t = System.nanoTime();
        HttpResponse<String> response = post(app.base + "/api/knowledge/search", body, app.key, false);
        double ms = (System.nanoTime() - t) / 1e6;
        boolean ok = response.statusCode() == 200 && JSON.readTree(response.body()).path("results").size() == topK;
        return new Sample(ms, response.statusCode(), 0, ok, ok ? null : "status " + response.statusCode());
    }

    // =====================================================================================================
    // search_knowledge over MCP against the REST search
    // =====================================================================================================

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

    // =====================================================================================================
    // Set-up
    // =====================================================================================================

    static List<Paper> papers(Path corpus) throws IOException {
        List<Paper> papers = new ArrayList<>();
        for (String line : Files.readAllLines(corpus)) {
            if (!line.isBlank()) {
                JsonNode entry = JSON.readTree(line);
                papers.add(new Paper(entry.path("_id").asString(), entry.path("title").asString(""), entry.path("text").asString("")));
            }
        }
        return papers;
    }

    static List<String> queries(Path file) throws IOException {
        List<String> queries = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank()) {
                queries.add(JSON.readTree(line).path("text").asString());
            }
        }
        return queries;
    }

    /**
     * The papers as documents: PAPERS_PER_DOC (default 1) consecutive abstracts a document, each a section under its
     * title; every other document Markdown, the others HTML.
     */
    static List<Upload> uploads(List<Paper> papers) {
        int perDocument = Math.max(1, env("PAPERS_PER_DOC", 1));
        List<Upload> uploads = new ArrayList<>();
        for (int start = 0, n = 0; start < papers.size(); start += perDocument, n++) {
            List<Paper> group = papers.subList(start, Math.min(papers.size(), start + perDocument));
            String name = group.getFirst().id() + (group.size() > 1 ? "-" + group.size() : "");
            boolean single = group.size() == 1;
            if (n % 2 == 0) {
                StringBuilder markdown = new StringBuilder(single ? "" : "# Collection " + name + "\n\n");
                for (Paper paper : group) {
                    markdown.append(single ? "# " : "## ").append(paper.title()).append("\n\n").append(paper.text()).append("\n\n");
                }
                uploads.add(new Upload(name + ".md", markdown.toString().getBytes(StandardCharsets.UTF_8)));
            }
            else {
                StringBuilder html = new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>")
                        .append(escape(single ? group.getFirst().title() : "Collection " + name)).append("</title></head>\n<body>");
                if (!single) {
                    html.append("<h1>Collection ").append(escape(name)).append("</h1>\n");
                }
                for (Paper paper : group) {
                    String heading = single ? "h1" : "h2";
                    html.append('<').append(heading).append('>').append(escape(paper.title())).append("</").append(heading).append(">\n<p>")
                            .append(escape(paper.text())).append("</p>\n");
                }
                uploads.add(new Upload(name + ".html", html.append("</body></html>\n").toString().getBytes(StandardCharsets.UTF_8)));
            }
        }
        return uploads;
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** Knowledge writes need an admin key: the bootstrap admin's, with the admin scope besides the default ones. */
    static void useAdminKey(App app) throws Exception {
        String body = "{\"name\":\"knowledge-bench\",\"tier\":\"enterprise\",\"scopes\":[\"chat\",\"knowledge:read\",\"knowledge:write\",\"admin\"]}";
        app.key = JSON.readTree(post(app.base + "/api/keys", body, app.token, true).body()).path("key").asString();
    }

    static UUID knowledgeBase(App app, String name) throws Exception {
        String body = JSON.writeValueAsString(Map.of("name", name + " " + UUID.randomUUID().toString().substring(0, 8),
                "description", "bench"));
        return UUID.fromString(JSON.readTree(post(app.base + "/api/knowledge-bases", body, app.key, true).body())
                .path("id").asString());
    }

    static HttpResponse<String> upload(App app, UUID base, Upload upload) throws Exception {
        String boundary = "bench-" + UUID.randomUUID();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + upload.name()
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create(app.base + "/api/documents?knowledgeBaseId=" + base))
                .timeout(Duration.ofSeconds(120)).header("Authorization", "Bearer " + app.key)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArrays(List.of(head, upload.content(), tail))).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    static String f(String format, Object... args) {
        return f(format, args);
    }
}
