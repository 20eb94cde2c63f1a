package dev.switchboard.llm.internal.embedding;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import tools.jackson.databind.JsonNode;

/** One provider's embedding protocol: the request for a batch of texts and the vectors in its answer. */
interface EmbeddingWire {

    /** The request embedding {@code texts} (prefixes already applied); {@code query} for a search query. */
    Request request(List<String> texts, boolean query);

    /** The vectors of the answer, in the order of the texts; null when the body is not this protocol's answer. */
    List<float[]> vectors(JsonNode answer);

    /** The most texts one request takes; the caller's batch size is limited to it. */
    default int maxBatch() {
        return Integer.MAX_VALUE;
    }

    /**
     * A JSON body to post, whatever client carries it.
     *
     * @param headers besides {@code Content-Type: application/json}
     */
    record Request(URI endpoint, Map<String, String> headers, String body) {
    }

    static URI endpoint(String baseUrl, String path) {
        return URI.create((baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl) + path);
    }

    /**
     * The vectors of {@code items}, a JSON array with one item a text, each read from {@code vectorOf(item)}; null when
     * it is no array or an item holds no vector.
     */
    static List<float[]> each(JsonNode items, UnaryOperator<JsonNode> vectorOf) {
        if (!items.isArray()) {
            return null;
        }
        List<float[]> vectors = new ArrayList<>(items.size());
        for (JsonNode item : items) {
            vectors.add(floats(vectorOf.apply(item)));
        }
        return vectors;
    }

    /** A JSON array of numbers as floats; null when it is something else. */
    static float[] floats(JsonNode array) {
        if (!array.isArray()) {
            return null;
        }
        float[] vector = new float[array.size()];
        for (int i = 0; i < vector.length; i++) {
            JsonNode value = array.get(i);
            if (!value.isNumber()) {
                return null;
            }
            vector[i] = value.floatValue();
        }
        return vector;
    }
}
