package dev.switchboard.llm.internal.embedding;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * OpenAI's {@code POST <base-url>/embeddings} ({@code base-url} ends with {@code /v1}, as for the LLM providers):
 * {@code {model, input: [...], dimensions?, encoding_format: "float"}} → {@code {data: [{index, embedding}]}}.
 * Spoken by many servers (vLLM, LM Studio, llama.cpp, Hugging Face TEI, LiteLLM). A key is sent as a bearer
 * token when set; servers without authentication need none.
 */
final class OpenAiEmbeddingWire extends InputArrayWire {

    OpenAiEmbeddingWire(JsonMapper json, String baseUrl, String model, Integer dimensions, String apiKey) {
        super(json, EmbeddingWire.endpoint(baseUrl, "/embeddings"), model, dimensions, apiKey, Map.of("encoding_format", "float"));
    }

    @Override
    public List<float[]> vectors(JsonNode answer) {
        JsonNode data = answer.path("data");
        if (!data.isArray()) {
            return null;
        }
        float[][] ordered = new float[data.size()][];
        for (JsonNode item : data) {
            int index = item.path("index").asInt(-1);
            if (index < 0 || index >= ordered.length || ordered[index] != null) {
                return null;
            }
            ordered[index] = EmbeddingWire.floats(item.path("embedding"));
        }
        List<float[]> vectors = new ArrayList<>(ordered.length);
        for (float[] vector : ordered) {
            vectors.add(vector);
        }
        return vectors;
    }
}
