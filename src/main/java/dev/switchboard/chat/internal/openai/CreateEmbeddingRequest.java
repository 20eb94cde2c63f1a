package dev.switchboard.chat.internal.openai;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * {@code POST /v1/embeddings}, read by {@link EmbeddingRequests}: OpenAI's request, {@code input} a string or a list of
 * strings (token arrays are not served).
 *
 * @param input the texts, in order
 * @param base64 {@code encoding_format: base64}: each vector as little-endian float32 bytes in base64, as OpenAI sends them
 */
@Schema(name = "CreateEmbeddingRequest", description = "OpenAI's embeddings request; model is the embedding model /v1/models lists.")
record CreateEmbeddingRequest(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "bge-small-en-v1.5-q") String model,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "A string or a list of strings.") List<String> input,
        @JsonProperty("encoding_format") @Schema(allowableValues = {
                "float", "base64"}) boolean base64, Integer dimensions,
        String user) {
}
