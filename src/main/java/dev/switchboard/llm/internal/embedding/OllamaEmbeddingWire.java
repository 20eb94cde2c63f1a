package dev.switchboard.llm.internal.embedding;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Ollama's {@code POST <base-url>/api/embed}: {@code {model, input: [...], dimensions?}} →
 * {@code {embeddings: [[...], ...]}}. Ollama never pulls a model here: an unknown one answers 404.
 */
final class OllamaEmbeddingWire implements EmbeddingWire {

    private final JsonMapper json;
    private final URI endpoint;
    private final String model;
    private final Integer dimensions;
    private final String apiKey;

    OllamaEmbeddingWire(JsonMapper json, String baseUrl, String model, Integer dimensions, String apiKey) {
        this.json = json;
        this.endpoint = URI.create(EmbeddingWire.stripSlash(baseUrl) + "/api/embed");
        this.model = model;
        this.dimensions = dimensions;
        this.apiKey = apiKey;
    }

    @Override
    public HttpRequest.Builder request(List<String> texts, boolean query) {
        // A key is for Ollama behind an authenticating proxy.
        return EmbeddingWire.inputArrayRequest(json, endpoint, json.createObjectNode().put("model", model), texts, dimensions, apiKey);
    }

    @Override
    public List<float[]> vectors(JsonNode answer) {
        JsonNode embeddings = answer.path("embeddings");
        if (!embeddings.isArray()) {
            return null;
        }
        List<float[]> vectors = new ArrayList<>(embeddings.size());
        for (JsonNode embedding : embeddings) {
            vectors.add(EmbeddingWire.floats(embedding));
        }
        return vectors;
    }
}
