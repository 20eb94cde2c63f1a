package dev.switchboard.llm.internal.embedding;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** One provider's embedding protocol: the request for a batch of texts and the vectors in its answer. */
interface EmbeddingWire {

    /** The request embedding {@code texts} (prefixes already applied); {@code query} for a search query. */
    HttpRequest.Builder request(List<String> texts, boolean query);

    /** The vectors of the answer, in the order of the texts; null when the body is not this protocol's answer. */
    List<float[]> vectors(JsonNode answer);

    /** The most texts one request takes; the caller's batch size is limited to it. */
    default int maxBatch() {
        return Integer.MAX_VALUE;
    }

    /**
     * The request shape OpenAI's API and Ollama share: {@code {..., input: [texts], dimensions?}} posted as JSON, with
     * the key (if any) as a bearer token.
     */
    static HttpRequest.Builder inputArrayRequest(JsonMapper json, URI endpoint, ObjectNode body, List<String> texts,
            Integer dimensions, String apiKey) {
        texts.forEach(body.putArray("input")::add);
        if (dimensions != null) {
            body.put("dimensions", dimensions);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
        if (apiKey != null && !apiKey.isBlank()) {
            request.header("Authorization", "Bearer " + apiKey.strip());
        }
        return request;
    }

    static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
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
