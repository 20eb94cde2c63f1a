package dev.switchboard.fakellm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A real HTTP server speaking the embedding APIs of the three remote kinds: OpenAI {@code POST /v1/embeddings},
 * Ollama {@code POST /api/embed} and Gemini {@code POST /v1beta/models/<model>:batchEmbedContents}, each with its
 * error body. Vectors are deterministic: words hashed into the dimensions (seeded by the model name, so two models
 * give unrelated vectors), so texts sharing words are similar — enough for search to find them. Answers can be
 * scripted (each request takes the next; then the standing one), including statuses with {@code Retry-After}, a
 * wrong vector size and a held answer that waits for the test.
 */
public final class FakeEmbeddingServer implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** The size of vectors when the request names none and no size was set for the model. */
    public static final int DEFAULT_DIMENSION = 256;

    /** A request as received. */
    public record Received(String path, JsonNode body, Map<String, List<String>> headers, Instant at) {

        /** The model asked for (Gemini: from the path). */
        public String model() {
            if (body.has("model")) {
                return body.path("model").asString();
            }
            return path.substring(path.lastIndexOf('/') + 1, path.lastIndexOf(':'));
        }

        /** The texts to embed, in order. */
        public List<String> texts() {
            List<String> texts = new ArrayList<>();
            if (body.has("requests")) {
                body.path("requests").forEach(r -> texts.add(r.path("content").path("parts").get(0).path("text").asString()));
            }
            else {
                body.path("input").forEach(t -> texts.add(t.asString()));
            }
            return texts;
        }

        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(e -> e.getValue().getFirst())
                    .findFirst().orElse(null);
        }
    }

    /** How the server answers one request. */
    public sealed interface Answer {

        /** Vectors of the requested or the model's size. */
        static Answer ok() {
            return new Ok();
        }

        /** The status with the kind's error body (which echoes a key-like string, as real providers do). */
        static Answer status(int status) {
            return new Status(status, null);
        }

        static Answer status(int status, String retryAfter) {
            return new Status(status, retryAfter);
        }

        /** Vectors of this size, whatever was asked. */
        static Answer dimension(int size) {
            return new Sized(size);
        }

        /** Waits until {@code release} opens, then answers normally. */
        static Answer held(CountDownLatch release) {
            return new Held(release);
        }
    }

    record Ok() implements Answer {
    }

    record Status(int status, String retryAfter) implements Answer {
    }

    record Sized(int size) implements Answer {
    }

    record Held(CountDownLatch release) implements Answer {
    }

    private final HttpServer server;
    private final ConcurrentLinkedQueue<Answer> script = new ConcurrentLinkedQueue<>();
    private volatile Answer standing = Answer.ok();
    private volatile String holdTextsContaining;
    private volatile CountDownLatch holdRelease = new CountDownLatch(0);
    private final Map<String, Integer> dimensions = new ConcurrentHashMap<>();
    private final List<Received> received = Collections.synchronizedList(new ArrayList<>());

    public FakeEmbeddingServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    /** A server on a free port, for a static field shared by a test class. */
    public static FakeEmbeddingServer start() {
        try {
            return new FakeEmbeddingServer();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The next requests are answered like this, in order. */
    public FakeEmbeddingServer then(Answer... answers) {
        script.addAll(List.of(answers));
        return this;
    }

    /** Every request without a queued answer is answered like this. */
    public FakeEmbeddingServer always(Answer answer) {
        script.clear();
        standing = answer;
        return this;
    }

    /** The model's own vector size (when a request names none). */
    public FakeEmbeddingServer dimension(String model, int size) {
        dimensions.put(model, size);
        return this;
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    /** Holds every request with a text containing {@code word} until {@code release} (a stalled provider for some documents). */
    public FakeEmbeddingServer holdTextsContaining(String word, CountDownLatch release) {
        holdRelease = release;
        holdTextsContaining = word;
        return this;
    }

    public FakeEmbeddingServer reset() {
        holdTextsContaining = null;
        received.clear();
        script.clear();
        standing = Answer.ok();
        return this;
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** The fake's vector of a text (before normalisation by the client: it answers them unnormalised, like Ollama). */
    public static float[] embed(String model, String text, int size) {
        float[] vector = new float[size];
        for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (word.length() < 2) {
                continue;
            }
            String stem = word.endsWith("s") && word.length() > 3 ? word.substring(0, word.length() - 1) : word;
            int hash = (model + "/" + stem).hashCode();
            vector[Math.floorMod(hash, size)] += 2f;
            vector[Math.floorMod(hash * 31 + 7, size)] += (hash & 1) == 0 ? 1f : -1f;
        }
        // A constant component keeps texts without words from being zero vectors.
        vector[0] += 0.1f;
        return vector;
    }

    /** Whether the path is one of the embedding APIs this server speaks. */
    public static boolean serves(String path) {
        return path.endsWith("/embeddings") || path.equals("/api/embed") || path.endsWith(":batchEmbedContents");
    }

    /** Answers one request, for a server that speaks embeddings beside chat ({@link FakeLlmServer#servingEmbeddings}). */
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
            String path = exchange.getRequestURI().getPath();
            Received request = new Received(path, body, Map.copyOf(exchange.getRequestHeaders()), Instant.now());
            received.add(request);
            String holdWord = holdTextsContaining;
            if (holdWord != null && request.texts().stream().anyMatch(text -> text.contains(holdWord))) {
                answer(exchange, request, new Held(holdRelease));
                return;
            }
            Answer answer = script.poll();
            answer(exchange, request, answer != null ? answer : standing);
        }
    }

    private void answer(HttpExchange exchange, Received request, Answer answer) throws IOException {
        switch (answer) {
            case Status status -> {
                if (status.retryAfter() != null) {
                    exchange.getResponseHeaders().add("Retry-After", status.retryAfter());
                }
                send(exchange, status.status(), error(request.path(), status.status()));
            }
            case Held held -> {
                try {
                    held.release().await(120, TimeUnit.SECONDS);
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
                send(exchange, 200, vectors(request, size(request)));
            }
            case Sized sized -> send(exchange, 200, vectors(request, sized.size()));
            case Ok ok -> send(exchange, 200, vectors(request, size(request)));
        }
    }

    private int size(Received request) {
        JsonNode body = request.body();
        if (body.has("dimensions")) {
            return body.path("dimensions").asInt();
        }
        if (body.has("requests") && body.path("requests").get(0).has("outputDimensionality")) {
            return body.path("requests").get(0).path("outputDimensionality").asInt();
        }
        return dimensions.getOrDefault(request.model().replace("models/", ""), DEFAULT_DIMENSION);
    }

    private String vectors(Received request, int size) {
        String model = request.model().replace("models/", "");
        List<String> texts = request.texts();
        ObjectNode answer = JSON.createObjectNode();
        if (request.path().endsWith("/embeddings")) {
            answer.put("object", "list").put("model", model);
            ArrayNode data = answer.putArray("data");
            // Out of order on purpose: clients must sort by index.
            for (int i = texts.size() - 1; i >= 0; i--) {
                add(data.addObject().put("object", "embedding").put("index", i).putArray("embedding"), embed(model, texts.get(i), size));
            }
            answer.putObject("usage").put("prompt_tokens", texts.size()).put("total_tokens", texts.size());
        }
        else if (request.path().equals("/api/embed")) {
            answer.put("model", model);
            ArrayNode embeddings = answer.putArray("embeddings");
            texts.forEach(text -> add(embeddings.addArray(), embed(model, text, size)));
        }
        else {
            ArrayNode embeddings = answer.putArray("embeddings");
            texts.forEach(text -> add(embeddings.addObject().putArray("values"), embed(model, text, size)));
        }
        return JSON.writeValueAsString(answer);
    }

    private static void add(ArrayNode array, float[] vector) {
        for (float value : vector) {
            array.add(value);
        }
    }

    private static String error(String path, int status) {
        if (path.endsWith("/embeddings")) {
            return "{\"error\":{\"message\":\"Incorrect API key provided: sk-fake-secret-echo. status " + status
                    + "\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}";
        }
        if (path.equals("/api/embed")) {
            return "{\"error\":\"model failure sk-fake-secret-echo " + status + "\"}";
        }
        return "{\"error\":{\"code\":" + status
                + ",\"message\":\"API key not valid: sk-fake-secret-echo\",\"status\":\"INVALID_ARGUMENT\"}}";
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
