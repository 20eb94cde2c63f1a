package bench.support;

import static bench.support.Bench.*;
import static bench.support.Load.*;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import dev.switchboard.knowledge.internal.embedding.BgeSmallEmbedder;
import tools.jackson.databind.JsonNode;

/**
 * What the knowledge benchmarks share ({@code IngestionBench}, {@code SearchBench}, {@code McpSearchBench}): SciFact
 * abstracts and claims read from the BEIR files, the abstracts as uploads (every other one Markdown, the others HTML),
 * a knowledge base and an admin key, uploads over HTTP timed until every document is {@code indexed}, a REST search,
 * and the CPU time of Switchboard, its PostgreSQL and the load generator read from /proc.
 */
public final class Knowledge {

    private Knowledge() {
    }

    /** The model's start-up lines (DJL, ONNX Runtime) stay out of the output when the model runs in this JVM. */
    public static void quietLogs() {
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.ERROR);
    }

    public static final String NO_PROVIDER = "http://127.0.0.1:9";
    public static final String MODEL = BgeSmallEmbedder.MODEL_ID;

    /** Extra JVM options for Switchboard (APP_JVM_ARGS, space-separated), e.g. {@code --add-modules jdk.incubator.vector}. */
    public static List<String> appJvmArgs() {
        String value = System.getenv().getOrDefault("APP_JVM_ARGS", "").strip();
        return value.isEmpty() ? List.of() : List.of(value.split("\\s+"));
    }

    public record Paper(String id, String title, String text) {
    }

    /** A document as uploaded: every other one Markdown, the others HTML. */
    public record Upload(String name, byte[] content) {
    }

    /** {@code threads}: the Switchboard JVM's CPU by thread kind during the round, per chunk ({@link Cpu#perUnit}). */
    public record Round(int documents, int chunks, int failed, double seconds, double uploadSeconds, Cpu cpu, String threads) {

        public double rate() {
            return chunks / seconds;
        }
    }

    /** Uploads the documents from {@code clients} clients and waits until every one is indexed or failed. */
    public static Round ingest(App app, UUID base, List<Upload> uploads, int clients) throws Exception {
        Cpu before = Cpu.of(app);
        Map<String, Double> threadsBefore = Cpu.byThreadKind(app.process.pid());
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
                        String threads = Cpu.perUnit(threadsBefore, Cpu.byThreadKind(app.process.pid()), Math.max(1, r.getInt(3)), 10);
                        return new Round(uploads.size(), r.getInt(3), r.getInt(2), (r.getDouble(4) - started) / 1000.0, uploadSeconds,
                                used, threads);
                    }
                }
                Thread.sleep(250);
            }
        }
        throw new IllegalStateException("ingestion did not finish within 2 hours");
    }

    /** CPU seconds used so far by the Switchboard JVM, its PostgreSQL (postmaster, children, reaped children) and this JVM. */
    public record Cpu(double app, double postgres, double self) {

        public static final double TICKS = 100.0;

        public static Cpu of(App app) throws IOException {
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

        public static double ofThisJvm() {
            try {
                return ticks(ProcessHandle.current().pid(), false);
            }
            catch (IOException ex) {
                return Double.NaN;
            }
        }

        /**
         * CPU seconds so far of the JVM's threads by kind, from /proc/pid/task/* and the names the JVM and Switchboard give
         * its threads: requests (virtual threads run on the ForkJoinPool carriers), query embedding, the embedding model's
         * workers, JIT compilers, garbage collector; other threads by name without their number.
         */
        public static Map<String, Double> byThreadKind(long pid) throws IOException {
            Map<String, Double> kinds = new LinkedHashMap<>();
            try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
                for (Path task : tasks.toList()) {
                    String name;
                    String[] stat;
                    try {
                        name = Files.readString(task.resolve("comm")).strip();
                        String line = Files.readString(task.resolve("stat"));
                        stat = line.substring(line.lastIndexOf(')') + 2).split(" ");
                    }
                    catch (IOException gone) {
                        continue;
                    }
                    kinds.merge(threadKind(name), (Long.parseLong(stat[11]) + Long.parseLong(stat[12])) / TICKS, Double::sum);
                }
            }
            return kinds;
        }

        static String threadKind(String name) {
            if (name.startsWith("ForkJoinPool") || name.startsWith("tomcat") || name.startsWith("http-nio")) {
                return "request threads (virtual-thread carriers, Tomcat)";
            }
            if (name.startsWith("query-embedding")) {
                return "query embedding threads";
            }
            if (name.startsWith("embedding-")) {
                return "embedding model's workers";
            }
            if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
                return "JIT compilers";
            }
            if (name.startsWith("GC Thread") || name.startsWith("G1 ")) {
                return "garbage collector";
            }
            return name.replaceAll("[-#]?\\d+$", "");
        }

        /** The CPU per unit (ms) of each kind in {@code after} − {@code before}, largest first, as "kind 1.23 ms". */
        public static String perUnit(Map<String, Double> before, Map<String, Double> after, long units, int limit) {
            Map<String, Double> used = new LinkedHashMap<>();
            after.forEach((kind, seconds) -> used.put(kind, seconds - before.getOrDefault(kind, 0.0)));
            return String.join(", ", used.entrySet().stream().filter(e -> 1000 * e.getValue() / units >= 0.005).sorted((x, y) -> Double
                    .compare(y
                            .getValue(), x.getValue())).limit(limit).map(e -> String.format("%s %.2f ms", e.getKey(), 1000 * e.getValue()
                                    / units)).toList());
        }

        public Cpu minus(Cpu other) {
            return new Cpu(app - other.app, postgres - other.postgres, self - other.self);
        }

        public static double ticks(long pid, boolean withReapedChildren) throws IOException {
            long[] stat = stat(pid);
            return stat == null ? 0 : (stat[1] + stat[2] + (withReapedChildren ? stat[3] + stat[4] : 0)) / TICKS;
        }

        /** ppid, utime, stime, cutime, cstime from /proc/pid/stat, or null when the process is gone. */
        public static long[] stat(long pid) {
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

    public static int random(Random random, int bound) {
        synchronized (random) {
            return random.nextInt(bound);
        }
    }

    public static double[] ok(List<Sample> samples) {
        return samples.stream().filter(Sample::ok).mapToDouble(Sample::ms).toArray();
    }

    public static Sample search(App app, UUID base, String query, int topK) throws Exception {
        String body = JSON.writeValueAsString(Map.of("query", query, "knowledgeBaseIds", List.of(base.toString()), "topK", topK));
        long t = System.nanoTime();
        HttpResponse<String> response = post(app.base + "/api/knowledge/search", body, app.key, false);
        double ms = (System.nanoTime() - t) / 1e6;
        boolean ok = response.statusCode() == 200 && JSON.readTree(response.body()).path("results").size() == topK;
        return new Sample(ms, response.statusCode(), 0, ok, ok ? null : "status " + response.statusCode());
    }

    public static List<Paper> papers(Path corpus) throws IOException {
        List<Paper> papers = new ArrayList<>();
        for (String line : Files.readAllLines(corpus)) {
            if (!line.isBlank()) {
                JsonNode entry = JSON.readTree(line);
                papers.add(new Paper(entry.path("_id").asString(), entry.path("title").asString(""), entry.path("text").asString("")));
            }
        }
        return papers;
    }

    public static List<String> queries(Path file) throws IOException {
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
    public static List<Upload> uploads(List<Paper> papers) {
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

    public static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** Knowledge writes need an admin key: the bootstrap admin's, with the admin scope besides the default ones. */
    public static void useAdminKey(App app) throws Exception {
        String body = "{\"name\":\"knowledge-bench\",\"tier\":\"enterprise\",\"scopes\":[\"chat\",\"knowledge:read\",\"knowledge:write\",\"admin\"]}";
        app.key = JSON.readTree(post(app.base + "/api/keys", body, app.token, true).body()).path("key").asString();
    }

    public static UUID knowledgeBase(App app, String name) throws Exception {
        String body = JSON.writeValueAsString(Map.of("name", name + " " + UUID.randomUUID().toString().substring(0, 8),
                "description", "bench"));
        return UUID.fromString(JSON.readTree(post(app.base + "/api/knowledge-bases", body, app.key, true).body())
                .path("id").asString());
    }

    public static HttpResponse<String> upload(App app, UUID base, Upload upload) throws Exception {
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
}
