package dev.switchboard.knowledge.internal.embedding;

import java.net.http.HttpRequest;
import java.util.List;

import tools.jackson.databind.JsonNode;

/** One provider's embedding protocol: the request for a batch of texts and the vectors in its answer. */
interface EmbeddingWire {

    /** The request embedding {@code texts} (prefixes already applied); {@code query} for a search query. */
    HttpRequest.Builder request(List<String> texts, boolean query);

    /** The vectors of the answer, in the order of the texts; null when the body is not this protocol's answer. */
    List<float[]> vectors(JsonNode answer);
}
