package bench;

import static bench.support.Bench.*;
import static bench.support.Load.*;
import static bench.support.Percentiles.pct;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import bench.support.App;
import dev.switchboard.fakellm.Behaviour;
import dev.switchboard.fakellm.FakeLlmServer;
import dev.switchboard.knowledge.internal.embedding.BgeSmallEmbedder;
import tools.jackson.databind.JsonNode;

/**
 * The OpenAI-compatible endpoints of issue 19 (bench/openai-compat.sh). Starts the fake OpenAI-compatible provider in
 * this JVM and Switchboard as a child process through {@link App}, then measures, one client:
 * <ol>
 * <li>{@code POST /v1/embeddings} throughput (texts/s) in requests of {@code BATCH} SciFact abstracts, against the same
 * embedding model ({@link BgeSmallEmbedder}, default workers) called in this JVM on the same batches while Switchboard is
 * idle; the two take turns, round by round.</li>
 * <li>the latency of {@code POST /v1/responses} (stored: a new session per request; and {@code store: false}) against
 * {@code POST /v1/chat/completions} for the same persona, question and fake answer (at once), and {@code POST /api/chat}
 * (a new session per request, as a stored response); the four take turns.</li>
 * </ol>
 * Prints markdown for the calling script to append to bench/RESULTS.md; progress goes to stderr.
 */
public class OpenAiCompatBench {

    static final String QUESTION = "How many days of paid holiday do I get?";

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        WORK = Path.of(args[1]);
        OUT = Path.of(args[2]);
        Path scifact = Path.of(args[3]);
        int batch = env("BATCH", 32);
        int rounds = env("ROUNDS", 5);
        int requests = env("REQUESTS", 500);
        int warmup = env("WARMUP", 100);
        List<String> texts = texts(scifact, batch);
        try (FakeLlmServer fake = new FakeLlmServer();
                App app = App.start(jar, "openai-compat", fake.baseUrl(), List.of(), List.of())) {
            fake.always(Behaviour.reply(FAKE_TEXT));
            String parts = System.getenv().getOrDefault("PARTS", "embeddings,latency");
            if (parts.contains("embeddings")) {
                embeddings(app, texts, rounds);
            }
            if (parts.contains("latency")) {
                latency(app, requests, warmup);
            }
        }
        System.exit(0);
    }

    /** {@code batch} abstracts (title and text), each cut to 1,000 characters (about 220 tokens, the chunker's size). */
    static List<String> texts(Path scifact, int batch) throws Exception {
        List<String> texts = new ArrayList<>();
        for (String line : Files.readAllLines(scifact.resolve("corpus.jsonl"))) {
            JsonNode doc = JSON.readTree(line);
            String text = (doc.path("title").asString() + "\n" + doc.path("text").asString()).strip();
            texts.add(text.length() > 1000 ? text.substring(0, 1000) : text);
            if (texts.size() == batch) {
                break;
            }
        }
        return texts;
    }

    static void embeddings(App app, List<String> texts, int rounds) throws Exception {
        StringBuilder input = new StringBuilder("[");
        for (String text : texts) {
            input.append(input.length() == 1 ? "" : ",").append(JSON.writeValueAsString(text));
        }
        String body = "{\"model\":\"bge-small-en-v1.5-q\",\"input\":" + input + "]}";
        double[] http = new double[rounds];
        double[] local = new double[rounds];
        try (BgeSmallEmbedder model = new BgeSmallEmbedder()) {
            log("embeddings: warm-up (both sides)");
            for (int i = 0; i < 3; i++) {
                post(app.base + "/v1/embeddings", body, app.key, true);
                model.embedDocuments(texts);
            }
            for (int round = 0; round < rounds; round++) {
                long t = System.nanoTime();
                for (int i = 0; i < 4; i++) {
                    HttpResponse<String> response = post(app.base + "/v1/embeddings", body, app.key, true);
                    if (JSON.readTree(response.body()).path("data").size() != texts.size()) {
                        throw new IllegalStateException("wrong answer: " + response.body().substring(0, 200));
                    }
                }
                http[round] = 4.0 * texts.size() / ((System.nanoTime() - t) / 1e9);
                t = System.nanoTime();
                for (int i = 0; i < 4; i++) {
                    model.embedDocuments(texts);
                }
                local[round] = 4.0 * texts.size() / ((System.nanoTime() - t) / 1e9);
                log("round %d: /v1/embeddings %.1f texts/s, in process %.1f texts/s", round + 1, http[round], local[round]);
            }
        }
        System.out.println("| embeddings | texts/s median (min–max) over " + rounds + " rounds of 4 requests × " + texts.size()
                + " texts |");
        System.out.println("|---|---|");
        System.out.println(f("| `POST /v1/embeddings` (Switchboard, child JVM) | %.1f (%.1f–%.1f) |", pct(http, 50),
                min(http), max(http)));
        System.out.println(f("| `BgeSmallEmbedder.embedDocuments` in the load generator's JVM — baseline | %.1f (%.1f–%.1f) |",
                pct(local, 50), min(local), max(local)));
        System.out.println();
        System.out.println(f("- **ratio /v1/embeddings ÷ in process (median): %.2f**", pct(http, 50) / pct(
                local, 50)));
        System.out.println();
    }

    static void latency(App app, int requests, int warmup) throws Exception {
        String completion = "{\"model\":\"bench\",\"messages\":[{\"role\":\"user\",\"content\":\"" + QUESTION + "\"}]}";
        String stored = "{\"model\":\"bench\",\"input\":\"" + QUESTION + "\"}";
        String unstored = "{\"model\":\"bench\",\"input\":\"" + QUESTION + "\",\"store\":false}";
        String chat = "{\"agent\":\"bench\",\"message\":\"" + QUESTION + "\"}";
        List<String> bodies = List.of(completion, unstored, stored, chat);
        List<String> paths = List.of("/v1/chat/completions", "/v1/responses", "/v1/responses", "/api/chat");
        log("latency: %d warm-up requests of each", warmup);
        time(app, bodies, paths, warmup);
        log("latency: %d measured requests of each, taking turns", requests);
        double[][] ms = time(app, bodies, paths, requests);
        String[] labels = {"`POST /v1/chat/completions` — baseline", "`POST /v1/responses`, `store: false`",
                "`POST /v1/responses`, stored (new session, turn and response rows)",
                "`POST /api/chat` (new session and turn rows, no response row) — what a stored response also does"};
        System.out.println(
                "| request (persona `bench`, fake model answering at once) | p50 / p95 / p99 ms | p50 added to chat completions |");
        System.out.println("|---|---|---|");
        for (int k = 0; k < bodies.size(); k++) {
            System.out.println(f("| %s | %.2f / %.2f / %.2f | %s |", labels[k], pct(ms[k], 50), pct(ms[k],
                    95),
                    pct(ms[k], 99), k == 0 ? "—" : f("%+.2f ms (×%.2f)", pct(ms[k], 50)
                            - pct(ms[0], 50), pct(ms[k], 50) / pct(ms[0], 50))));
        }
        System.out.println();
        System.out.println(f("- %d measured requests of each after %d of warm-up, one client, the four kinds taking turns; "
                + "every answer checked for the fake's text", requests, warmup));
        System.out.println(f("- stored `/v1/responses` − `/api/chat` at p50: %+.2f ms (the response object built and inserted "
                + "in a transaction of its own)", pct(ms[2], 50) - pct(ms[3], 50)));
    }

    static double[][] time(App app, List<String> bodies, List<String> paths, int count) throws Exception {
        double[][] ms = new double[bodies.size()][count];
        for (int i = 0; i < count; i++) {
            for (int k = 0; k < bodies.size(); k++) {
                long t = System.nanoTime();
                HttpResponse<String> response = post(app.base + paths.get(k), bodies.get(k), app.key, true);
                ms[k][i] = (System.nanoTime() - t) / 1e6;
                if (!response.body().contains(FAKE_TEXT)) {
                    throw new IllegalStateException("unexpected answer: " + response.body());
                }
            }
        }
        return ms;
    }

    static double min(double[] values) {
        return java.util.Arrays.stream(values).min().orElse(0);
    }

    static double max(double[] values) {
        return java.util.Arrays.stream(values).max().orElse(0);
    }
}
