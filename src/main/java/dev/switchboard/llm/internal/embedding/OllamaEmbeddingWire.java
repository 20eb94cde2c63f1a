package dev.switchboard.llm.internal.embedding;

import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Ollama's {@code POST <base-url>/api/embed}: {@code {model, input: [...], dimensions?}} →
 * {@code {embeddings: [[...], ...]}}. Ollama never pulls a model here: an unknown one answers 404. A key is for
 * Ollama behind an authenticating proxy.
 */
final class OllamaEmbeddingWire extends InputArrayWire {

    OllamaEmbeddingWire(JsonMapper json, String baseUrl, String model, Integer dimensions, String apiKey) {
        super(json, EmbeddingWire.endpoint(baseUrl, "/api/embed"), model, dimensions, apiKey, Map.of());
    }

    @Override
    public List<float[]> vectors(JsonNode answer) {
        return EmbeddingWire.each(answer.path("embeddings"), embedding -> embedding);
    }
}
