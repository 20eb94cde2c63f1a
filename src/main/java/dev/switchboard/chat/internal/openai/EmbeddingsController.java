package dev.switchboard.chat.internal.openai;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import dev.switchboard.chat.internal.ChatProperties;
import dev.switchboard.identity.Caller;
import dev.switchboard.identity.Callers;
import dev.switchboard.knowledge.Embeddings;
import dev.switchboard.llm.LlmRequest;
import dev.switchboard.llm.Target;
import dev.switchboard.llm.TokensUsed;
import dev.switchboard.llm.Usage;
import dev.switchboard.metering.TokenQuota;
import dev.switchboard.shared.OpenAiErrors;
import dev.switchboard.shared.SwitchboardException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import tools.jackson.databind.JsonNode;

/**
 * OpenAI's embeddings endpoint, served by the knowledge index's embedding model. It needs the {@code knowledge:read}
 * scope (the model is the knowledge index's; a chat-only key cannot use it). The request is rate-limited like every API
 * request, and its tokens draw on the caller's daily token quota and are recorded as usage, as a chat turn's are.
 */
@Tag(name = "OpenAI-compatible")
@SecurityRequirement(name = "bearer")
@RestController
@PreAuthorize("hasAuthority('SCOPE_knowledge:read')")
class EmbeddingsController {

    /** What the tokens of an embeddings request are recorded under. */
    static final String PURPOSE = "POST /v1/embeddings";

    private final Embeddings embeddings;
    private final TokenQuota quota;
    private final ApplicationEventPublisher events;
    private final ChatProperties properties;

    EmbeddingsController(Embeddings embeddings, TokenQuota quota, ApplicationEventPublisher events, ChatProperties properties) {
        this.embeddings = embeddings;
        this.quota = quota;
        this.events = events;
        this.properties = properties;
    }

    @Operation(summary = "Embeddings (OpenAI-compatible)", description = "model = the embedding model GET /v1/models lists; input "
            + "a string or a list of strings (at most switchboard.chat.embeddings.max-inputs, each at most max-input-chars); "
            + "encoding_format float or base64. Needs the knowledge:read scope. Errors use OpenAI's error body.")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(schema = @Schema(implementation = CreateEmbeddingRequest.class)))
    @PostMapping("/v1/embeddings")
    EmbeddingList create(@RequestBody JsonNode body) {
        Caller caller = Callers.require();
        CreateEmbeddingRequest request = EmbeddingRequests.parse(body, properties.embeddings());
        if (!request.model().equals(embeddings.model())) {
            SwitchboardException unknown = new SwitchboardException(HttpStatus.NOT_FOUND, "model-not-found", "There is no "
                    + "embedding model '" + request.model() + "'; this server embeds with '" + embeddings.model() + "'.");
            unknown.getBody().setProperty(OpenAiErrors.PARAM, "model");
            throw unknown;
        }
        if (request.dimensions() != null && request.dimensions() != embeddings.dimension()) {
            throw BadParameter.at("dimensions", "The model's vectors have " + embeddings.dimension() + " dimensions; leave "
                    + "dimensions out or send that.");
        }
        long tokens = request.input().stream().mapToLong(LlmRequest::estimateTokens).sum();
        Optional<TokenQuota.Reservation> reservation = quota.reserveOrRefuse(caller, tokens, "These embeddings");
        List<float[]> vectors;
        try {
            vectors = embeddings.embed(request.input());
        }
        catch (RuntimeException failed) {
            reservation.ifPresent(r -> quota.settle(r, 0));
            throw failed;
        }
        reservation.ifPresent(r -> quota.settle(r, tokens));
        events.publishEvent(new TokensUsed(new Target(embeddings.provider(), embeddings.model()), new Usage(tokens, 0, true),
                PURPOSE));
        List<EmbeddingList.Data> data = new ArrayList<>();
        for (int i = 0; i < vectors.size(); i++) {
            data.add(new EmbeddingList.Data("embedding", i, request.base64() ? base64(vectors.get(i)) : vectors.get(i)));
        }
        return new EmbeddingList("list", data, embeddings.model(), new EmbeddingList.Usage(tokens, tokens));
    }

    /** Little-endian float32 bytes in base64, as OpenAI encodes vectors. */
    static String base64(float[] vector) {
        ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : vector) {
            bytes.putFloat(value);
        }
        return Base64.getEncoder().encodeToString(bytes.array());
    }
}
