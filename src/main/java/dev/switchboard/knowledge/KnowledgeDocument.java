package dev.switchboard.knowledge;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A document and how far its ingestion got. {@code status}: {@code queued}, {@code parsing}, {@code embedding},
 * {@code indexed}, {@code failed} (with {@code error} saying why).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record KnowledgeDocument(UUID id, UUID knowledgeBaseId, String name, String mediaType, long sizeBytes, String sha256,
        String status, Integer chunksTotal, int chunksDone, String error, Instant createdAt, Instant updatedAt) {

    public static final String QUEUED = "queued";
    public static final String PARSING = "parsing";
    public static final String EMBEDDING = "embedding";
    public static final String INDEXED = "indexed";
    public static final String FAILED = "failed";
}
