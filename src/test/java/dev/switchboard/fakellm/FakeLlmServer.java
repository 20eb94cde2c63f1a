package dev.switchboard.fakellm;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real HTTP server that speaks the wire formats of the four provider kinds Switchboard supports — OpenAI
 * chat completions (JSON and SSE), Anthropic messages (JSON and SSE), Gemini {@code generateContent} and
 * {@code streamGenerateContent} (SSE), Ollama {@code /api/chat} (JSON and NDJSON) — with scriptable faults.
 * Tests queue {@link Behaviour}s (each request takes the next; the last one repeats) and read back what the
 * server received. {@code main} runs it standalone for benchmarks: {@code FakeLlmServer <port> [reply]}.
 */
public final class FakeLlmServer implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** A request as received. */
    public record Received(String path, JsonNode body, Map<String, List<String>> headers) {
    }

    private final HttpServer server;
    private final ConcurrentLinkedQueue<Behaviour> script = new ConcurrentLinkedQueue<>();
    private volatile Behaviour standing = Behaviour.reply("Hello from the fake provider.");
    private final List<Received> received = Collections.synchronizedList(new ArrayList<>());
    private final Set<InetSocketAddress> clients = ConcurrentHashMap.newKeySet();
    private volatile FakeEmbeddingServer embeddings;

    public FakeLlmServer() throws IOException {
        this(0);
    }

    public FakeLlmServer(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 256);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    /** A server on a free port, for a static field shared by a test class. */
    public static FakeLlmServer start() {
        try {
            return new FakeLlmServer();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    public static void main(String[] args) throws IOException {
        FakeLlmServer fake = new FakeLlmServer(args.length > 0 ? Integer.parseInt(args[0]) : 0);
        if (args.length > 1) {
            fake.always(Behaviour.reply(args[1]));
        }
        System.out.println("fake LLM provider listening on " + fake.baseUrl());
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The next requests behave like this, in order. */
    public FakeLlmServer then(Behaviour... behaviours) {
        script.addAll(List.of(behaviours));
        return this;
    }

    /** Every request without a queued behaviour behaves like this. */
    public FakeLlmServer always(Behaviour behaviour) {
        script.clear();
        standing = behaviour;
        return this;
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    /**
     * Answers the embedding APIs on this address too, as {@code embeddings} does (which records them): one provider for
     * chat and embeddings, as OpenAI, Gemini and Ollama are.
     */
    public FakeLlmServer servingEmbeddings(FakeEmbeddingServer embeddings) {
        this.embeddings = embeddings;
        return this;
    }

    /** How many connections clients have made to this server so far (each request's client address and port). */
    public int connections() {
        return clients.size();
    }

    /** Forgets what was received and what was queued: for a server shared by several tests. */
    public FakeLlmServer reset() {
        received.clear();
        script.clear();
        return this;
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        clients.add(exchange.getRemoteAddress());
        FakeEmbeddingServer embeddingApi = embeddings;
        if (embeddingApi != null && FakeEmbeddingServer.serves(exchange.getRequestURI().getPath())) {
            embeddingApi.handle(exchange);
            return;
        }
        try (exchange) {
            byte[] raw = exchange.getRequestBody().readAllBytes();
            // A followed redirect arrives as a GET without a body.
            JsonNode body = raw.length == 0 ? JSON.missingNode() : JSON.readTree(raw);
            String path = exchange.getRequestURI().getPath();
            received.add(new Received(path + (exchange.getRequestURI().getQuery() != null ? "?" + exchange.getRequestURI().getQuery() : ""),
                    body, Map.copyOf(exchange.getRequestHeaders())));
            Behaviour behaviour = script.poll();
            behave(exchange, Wire.of(path, exchange.getRequestURI().getQuery(), body), body,
                    behaviour != null ? behaviour : standing);
        }
    }

    private void behave(HttpExchange exchange, Wire wire, JsonNode body, Behaviour behaviour) throws IOException {
        switch (behaviour) {
            case Behaviour.Reset reset -> {
                // Closing without a status line: the client sees the connection drop.
            }
            case Behaviour.Error error -> {
                if (error.retryAfterSeconds() > 0) {
                    exchange.getResponseHeaders().add("Retry-After", String.valueOf(error.retryAfterSeconds()));
                }
                send(exchange, error.status(), "application/json", wire.error(error.status()));
            }
            case Behaviour.Redirect redirect -> {
                exchange.getResponseHeaders().add("Location", redirect.location());
                exchange.sendResponseHeaders(302, -1);
            }
            case Behaviour.Malformed malformed -> send(exchange, 200, "application/json", "{\"choices\": [ this is not json");
            case Behaviour.CutBeforeFirstToken cut -> {
                exchange.getResponseHeaders().add("Content-Type", wire.streamContentType());
                exchange.sendResponseHeaders(200, 0);
                exchange.getResponseBody().flush();
            }
            case Behaviour.CutAfterFirstToken cut -> {
                exchange.getResponseHeaders().add("Content-Type", wire.streamContentType());
                exchange.sendResponseHeaders(200, 0);
                OutputStream out = exchange.getResponseBody();
                for (String event : wire.streamStart()) {
                    write(out, event);
                }
                write(out, wire.streamDelta(words(cut.text()).get(0), 0));
            }
            case Behaviour.Reply reply -> reply(exchange, wire, body, reply);
            case Behaviour.CallTools tools -> callTools(exchange, wire, body, tools);
            case Behaviour.CutAfterFirstToolCall cut -> {
                exchange.getResponseHeaders().add("Content-Type", wire.streamContentType());
                exchange.sendResponseHeaders(200, 0);
                OutputStream out = exchange.getResponseBody();
                for (String event : wire.streamStart()) {
                    write(out, event);
                }
                // The call's start and the first piece of its arguments (a whole call where calls come whole).
                List<String> events = wire.streamToolCalls(List.of(cut.call()));
                for (String event : events.subList(0, Math.min(2, events.size()))) {
                    write(out, event);
                }
            }
        }
    }

    private void callTools(HttpExchange exchange, Wire wire, JsonNode body, Behaviour.CallTools tools) throws IOException {
        int promptTokens = Math.max(1, body.toString().split("\\s+").length);
        int completionTokens = 5 * tools.calls().size();
        if (!wire.streaming()) {
            send(exchange, 200, "application/json", wire.completeToolCalls(tools.calls(), promptTokens, completionTokens));
            return;
        }
        exchange.getResponseHeaders().add("Content-Type", wire.streamContentType());
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        for (String event : wire.streamStart()) {
            write(out, event);
        }
        sleep(tools.firstTokenDelay());
        for (String event : wire.streamToolCalls(tools.calls())) {
            write(out, event);
        }
        for (String event : wire.streamToolCallsEnd(promptTokens, completionTokens)) {
            write(out, event);
        }
    }

    private void reply(HttpExchange exchange, Wire wire, JsonNode body, Behaviour.Reply reply) throws IOException {
        sleep(reply.latency());
        int promptTokens = Math.max(1, body.toString().split("\\s+").length);
        List<String> words = words(reply.text());
        if (!wire.streaming()) {
            send(exchange, 200, "application/json", wire.complete(reply.text(), promptTokens, words.size()));
            return;
        }
        exchange.getResponseHeaders().add("Content-Type", wire.streamContentType());
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        for (String event : wire.streamStart()) {
            write(out, event);
        }
        sleep(reply.firstTokenDelay());
        for (int i = 0; i < words.size(); i++) {
            write(out, wire.streamDelta(words.get(i), i));
        }
        for (String event : wire.streamEnd(promptTokens, words.size())) {
            write(out, event);
        }
    }

    /** Words with their following space, so that the deltas concatenate to the text. */
    static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        for (String word : text.split("(?<= )")) {
            if (!word.isEmpty()) {
                words.add(word);
            }
        }
        return words.isEmpty() ? List.of("") : words;
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static void write(OutputStream out, String chunk) throws IOException {
        out.write(chunk.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void sleep(Duration duration) {
        if (!duration.isZero()) {
            try {
                Thread.sleep(duration);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
