package dev.switchboard.llm.internal.embedding;

import java.net.URI;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The request OpenAI's API and Ollama share: {@code {model, input: [texts], dimensions?}} and the kind's own fields,
 * posted as JSON with the key (if any) as a bearer token. The kinds differ in the path and the answer's shape.
 */
abstract class InputArrayWire implements EmbeddingWire {

    private final JsonMapper json;
    private final URI endpoint;
    private final String model;
    private final Integer dimensions;
    private final Map<String, String> headers;
    private final Map<String, String> fields;

    InputArrayWire(JsonMapper json, URI endpoint, String model, Integer dimensions, String apiKey, Map<String, String> fields) {
        this.json = json;
        this.endpoint = endpoint;
        this.model = model;
        this.dimensions = dimensions;
        this.headers = apiKey == null || apiKey.isBlank() ? Map.of() : Map.of("Authorization", "Bearer " + apiKey.strip());
        this.fields = fields;
    }

    @Override
    public final Request request(List<String> texts, boolean query) {
        ObjectNode body = json.createObjectNode().put("model", model);
        fields.forEach(body::put);
        texts.forEach(body.putArray("input")::add);
        if (dimensions != null) {
            body.put("dimensions", dimensions);
        }
        return new Request(endpoint, headers, json.writeValueAsString(body));
    }
}
