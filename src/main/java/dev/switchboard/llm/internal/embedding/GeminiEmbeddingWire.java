package dev.switchboard.llm.internal.embedding;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Gemini's {@code POST <base-url>/v1beta/models/<model>:batchEmbedContents} with the key in
 * {@code x-goog-api-key} (never in the URL, where proxies log it): one request per text with the task type
 * ({@code RETRIEVAL_DOCUMENT} for chunks, {@code RETRIEVAL_QUERY} for queries) and {@code outputDimensionality}
 * when dimensions are set → {@code {embeddings: [{values: [...]}]}}. Gemini takes at most 100 texts per call.
 */
final class GeminiEmbeddingWire implements EmbeddingWire {

    /** Gemini's limit of requests in one batch call. */
    static final int MAX_BATCH = 100;

    private final JsonMapper json;
    private final URI endpoint;
    private final String modelName;
    private final Integer dimensions;
    private final String apiKey;

    GeminiEmbeddingWire(JsonMapper json, String baseUrl, String model, Integer dimensions, String apiKey) {
        this.json = json;
        String bare = model.startsWith("models/") ? model.substring("models/".length()) : model;
        this.endpoint = EmbeddingWire.endpoint(baseUrl, "/v1beta/models/" + URLEncoder.encode(bare, StandardCharsets.UTF_8)
                + ":batchEmbedContents");
        this.modelName = "models/" + bare;
        this.dimensions = dimensions;
        this.apiKey = apiKey;
    }

    @Override
    public Request request(List<String> texts, boolean query) {
        ObjectNode body = json.createObjectNode();
        ArrayNode requests = body.putArray("requests");
        for (String text : texts) {
            ObjectNode request = requests.addObject().put("model", modelName)
                    .put("taskType", query ? "RETRIEVAL_QUERY" : "RETRIEVAL_DOCUMENT");
            request.putObject("content").putArray("parts").addObject().put("text", text);
            if (dimensions != null) {
                request.put("outputDimensionality", dimensions);
            }
        }
        return new Request(endpoint, Map.of("x-goog-api-key", apiKey.strip()), json.writeValueAsString(body));
    }

    @Override
    public int maxBatch() {
        return MAX_BATCH;
    }

    @Override
    public List<float[]> vectors(JsonNode answer) {
        return EmbeddingWire.each(answer.path("embeddings"), embedding -> embedding.path("values"));
    }
}
