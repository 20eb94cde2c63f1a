package dev.switchboard.knowledge.internal.embedding;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

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
        this.endpoint = URI.create(RemoteEmbedder.stripSlash(baseUrl) + "/api/embed");
        this.model = model;
        this.dimensions = dimensions;
        this.apiKey = apiKey;
    }

    @Override
    public HttpRequest.Builder request(List<String> texts, boolean query) {
        ObjectNode body = json.createObjectNode().put("model", model);
        texts.forEach(body.putArray("input")::add);
        if (dimensions != null) {
            body.put("dimensions", dimensions);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
        if (apiKey != null && !apiKey.isBlank()) {
            // Ollama behind an authenticating proxy.
            request.header("Authorization", "Bearer " + apiKey.strip());
        }
        return request;
    }

    @Override
    public List<float[]> vectors(JsonNode answer) {
        JsonNode embeddings = answer.path("embeddings");
        if (!embeddings.isArray()) {
            return null;
        }
        List<float[]> vectors = new ArrayList<>(embeddings.size());
        for (JsonNode embedding : embeddings) {
            vectors.add(RemoteEmbedder.floats(embedding));
        }
        return vectors;
    }
}
