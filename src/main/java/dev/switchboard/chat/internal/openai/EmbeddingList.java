package dev.switchboard.chat.internal.openai;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;

/** The answer of {@code POST /v1/embeddings}, as OpenAI's SDKs read it. */
record EmbeddingList(String object, List<Data> data, String model, Usage usage) {

    /**
     * One input's vector.
     *
     * @param embedding a list of floats, or base64 of little-endian float32 bytes ({@code encoding_format: base64})
     */
    @Schema(name = "Embedding")
    record Data(String object, int index, @Schema(oneOf = {
            float[].class, String.class}) Object embedding) {
    }

    /** Tokens of the inputs (estimated: three characters a token); embeddings have no output tokens. */
    @Schema(name = "EmbeddingUsage")
    record Usage(@JsonProperty("prompt_tokens") long promptTokens, @JsonProperty("total_tokens") long totalTokens) {
    }
}
