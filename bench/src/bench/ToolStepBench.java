package bench;

import static bench.support.Bench.*;
import static bench.support.Load.*;
import static bench.support.Percentiles.pct;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import bench.support.App;
import dev.switchboard.fakellm.Behaviour;
import dev.switchboard.fakellm.FakeLlmServer;
import dev.switchboard.llm.ToolContext;
import tools.jackson.databind.JsonNode;

/**
 * The added time of one tool step of a chat turn, without the tool and the model (bench/tool-step.sh). Starts the fake
 * OpenAI-compatible provider in this JVM and Switchboard as a child process through {@link App}, then runs
 * {@code POST /api/chat} turns from one client, taking turns between two personas on the same chain:
 * <ul>
 * <li>{@code tooled} (allowed {@code search_knowledge}, no knowledge base): the fake first asks for one
 * {@code search_knowledge} call, then answers. The tool answers at once that there is no knowledge base to search (a
 * trivial tool: argument parsing and a result), so the step is all Switchboard: the calls parsed, the tool run on a
 * virtual thread under its timeout, its result delimited and appended, a second metered model call, two more history
 * rows.</li>
 * <li>{@code bench} (no tools): the fake answers at once. The baseline.</li>
 * </ul>
 * Each turn's model time is what Switchboard itself recorded for it: the growth of {@code switchboard_llm_latency_seconds_sum}
 * (every model call, the tool step's included) read from {@code /metrics} just before and after the turn (one client,
 * so nothing else runs between); cross-checked against the answer's {@code attempts[].latencyMs} (its last call only).
 * The tool's own time is measured here, in this JVM, calling the same tool class the same way (warmed up).
 */
public class ToolStepBench {

    static final String TOOL_ARGUMENTS = "{\"query\":\"paid holiday days\",\"topK\":3}";

    /** One turn: the client's latency, the model time Switchboard recorded, the last call's attempts. */
    record Turn(double ms, double modelMs, double lastCallMs, int tools, boolean ok, String problem) {

        double excludingModel() {
            return ms - modelMs;
        }
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[1]);
        WORK = Path.of(args[2]);
        OUT = Path.of(args[3]);
        int turns = env("TURNS", 500);
        int warmup = env("WARMUP", 100);
        double toolMs = toolOwnTimeMs();
        try (FakeLlmServer fake = new FakeLlmServer();
                App app = App.start(jar, "tool-step", fake.baseUrl(),
                        List.of(), List.of())) {
            post(app.base + "/api/personas", "{\"slug\":\"tooled\",\"name\":\"Tooled\",\"instructions\":\""
                    + INSTRUCTIONS + "\",\"allowedTools\":[\"search_knowledge\"]}", app.token, true);
            log("warm-up: %d turns of each persona", warmup);
            run(app, fake, warmup);
            log("measuring: %d turns of each persona, taking turns", turns);
            List<List<Turn>> measured = run(app, fake, turns);
            report(measured.get(0), measured.get(1), toolMs, turns, warmup);
        }
        System.exit(0);
    }

    /** {@code count} turns of each persona, alternating: [0] with the tool step, [1] without. */
    static List<List<Turn>> run(App app, FakeLlmServer fake, int count) throws Exception {
        List<Turn> tooled = new ArrayList<>();
        List<Turn> plain = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            fake.reset().then(Behaviour.callTool("call_" + i, "search_knowledge", TOOL_ARGUMENTS), Behaviour.reply(FAKE_TEXT));
            tooled.add(turn(app, "tooled", 1));
            fake.reset().then(Behaviour.reply(FAKE_TEXT));
            plain.add(turn(app, "bench", 0));
        }
        return List.of(tooled, plain);
    }

    static Turn turn(App app, String agent, int expectedTools) throws Exception {
        double modelBefore = modelSeconds(app);
        long start = System.nanoTime();
        HttpResponse<String> response = post(app.base + "/api/chat", "{\"agent\":\"" + agent + "\",\"message\":\"How many "
                + "days of paid holiday do I get?\"}", app.key, false);
        double ms = (System.nanoTime() - start) / 1e6;
        double modelMs = (modelSeconds(app) - modelBefore) * 1000;
        if (response.statusCode() != 200) {
            return new Turn(ms, modelMs, 0, 0, false, "status " + response.statusCode());
        }
        JsonNode json = JSON.readTree(response.body());
        double lastCallMs = 0;
        for (JsonNode attempt : json.path("attempts")) {
            lastCallMs += attempt.path("latencyMs").asDouble();
        }
        int tools = json.path("tools").size();
        boolean ok = FAKE_TEXT.equals(json.path("message").path("content").asString()) && tools == expectedTools;
        return new Turn(ms, modelMs, lastCallMs, tools, ok, ok ? null : "unexpected answer: " + response.body());
    }

    /** Every model call's time as Switchboard recorded it so far, in seconds. */
    static double modelSeconds(App app) throws Exception {
        double sum = 0;
        for (Map.Entry<String, Double> sample : metrics(app).entrySet()) {
            if (sample.getKey().startsWith("switchboard_llm_latency_seconds_sum")) {
                sum += sample.getValue();
            }
        }
        return sum;
    }

    /**
     * The tool's own time: {@code search_knowledge} with no knowledge base, called here as the turn calls it (the class
     * is internal to its module, hence reflection; it needs no search service on this path). Median of 20,000 calls
     * after 20,000 of warm-up.
     */
    static double toolOwnTimeMs() throws Exception {
        Class<?> type = Class.forName("dev.switchboard.knowledge.internal.tools.SearchKnowledgeTool");
        Constructor<?> constructor = type.getDeclaredConstructors()[0];
        constructor.setAccessible(true);
        Object tool = constructor.newInstance(new Object[constructor.getParameterCount()]);
        Method call = type.getDeclaredMethod("call", ToolContext.class, String.class);
        call.setAccessible(true);
        ToolContext context = new ToolContext(UUID.randomUUID(), UUID.randomUUID(), List.of(), 0, Instant.now().plusSeconds(3600),
                "bench");
        Object result = call.invoke(tool, context, TOOL_ARGUMENTS);
        if (!result.toString().contains("no knowledge base")) {
            throw new IllegalStateException("the tool did not take the no-knowledge-base path: " + result);
        }
        double[] ns = new double[20_000];
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < ns.length; i++) {
                long t = System.nanoTime();
                call.invoke(tool, context, TOOL_ARGUMENTS);
                ns[i] = System.nanoTime() - t;
            }
        }
        return pct(ns, 50) / 1e6;
    }

    static void report(List<Turn> tooled, List<Turn> plain, double toolMs, int turns, int warmup) {
        long failed = tooled.stream().filter(t -> !t.ok()).count() + plain.stream().filter(t -> !t.ok()).count();
        tooled.stream().filter(t -> !t.ok()).limit(3).forEach(t -> log("failed: %s", t.problem()));
        double[] a = tooled.stream().filter(Turn::ok).mapToDouble(Turn::excludingModel).toArray();
        double[] b = plain.stream().filter(Turn::ok).mapToDouble(Turn::excludingModel).toArray();
        double[] aModel = tooled.stream().filter(Turn::ok).mapToDouble(Turn::modelMs).toArray();
        double[] bModel = plain.stream().filter(Turn::ok).mapToDouble(Turn::modelMs).toArray();
        double[] aLast = tooled.stream().filter(Turn::ok).mapToDouble(Turn::lastCallMs).toArray();
        double[] aMs = tooled.stream().filter(Turn::ok).mapToDouble(Turn::ms).toArray();
        double[] bMs = plain.stream().filter(Turn::ok).mapToDouble(Turn::ms).toArray();
        System.out.println("| turn | turns | failed | client latency p50 / p95 / p99 ms | model time recorded by Switchboard p50 / p95 ms "
                + "| latency − model time p50 / p95 / p99 ms |");
        System.out.println("|---|---|---|---|---|---|");
        System.out.println(row("with one tool step (`tooled`: 2 model calls, 1 tool call, 4 history rows)", tooled, aMs, aModel, a));
        System.out.println(row("without tools (`bench`: 1 model call, 2 history rows) — baseline", plain, bMs, bModel, b));
        System.out.println();
        double[] p = {50, 95, 99};
        List<String> added = new ArrayList<>();
        for (double q : p) {
            added.add(f("p%.0f %+.2f ms", q, pct(a, q) - pct(b, q) - toolMs));
        }
        System.out.println(f("- **added time of one tool step, excluding the model and the tool** (same percentile of "
                + "latency − model time, with the tool step − without, − the tool's own %.4f ms): %s; ratio to the baseline "
                + "turn's own time (latency − model time) at p50: %.2f×", toolMs, String.join(", ", added),
                pct(a, 50) / pct(b, 50)));
        System.out.println(f("- tool's own time (`search_knowledge` without a knowledge base, timed in the load generator's "
                + "JVM, warm): median %.4f ms", toolMs));
        System.out.println(f("- cross-check of the model time: with the tool step, the recorded time of both calls p50 %.2f ms "
                + "vs the answer's `attempts[].latencyMs` (last call only) p50 %.2f ms; without tools %.2f ms", pct(aModel, 50),
                pct(aLast, 50), pct(bModel, 50)));
        System.out.println(f("- %d + %d measured turns after %d + %d of warm-up; %d failed", tooled.size(), plain.size(), warmup,
                warmup, failed));
    }

    static String row(String label, List<Turn> all, double[] ms, double[] model, double[] excluding) {
        long failed = all.stream().filter(t -> !t.ok()).count();
        return f("| %s | %d | %s | %.2f / %.2f / %.2f | %.2f / %.2f | %.2f / %.2f / %.2f |", label, all.size(),
                failed == 0 ? "0" : "**" + failed + "**", pct(ms, 50), pct(ms, 95), pct(ms, 99),
                pct(model, 50), pct(model, 95), pct(excluding, 50), pct(excluding, 95),
                pct(excluding, 99));
    }
}
