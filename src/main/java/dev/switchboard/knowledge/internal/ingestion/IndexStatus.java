package dev.switchboard.knowledge.internal.ingestion;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The index's embedding model and re-index progress ({@code GET /api/knowledge/index}).
 *
 * @param status {@code ready}, or {@code reindexing} while chunks are embedded again by {@code model}
 * @param model the configured model: what queries and new uploads are embedded with
 * @param provider where it runs: {@code local}, {@code openai}, {@code ollama}, {@code gemini}
 * @param dimension its vectors' size, when known (remote models: once they answered)
 * @param replacing while re-indexing, the model whose vectors are being replaced (null for an index written before
 *        models were recorded)
 * @param chunksDone chunks embedded again so far by the latest re-index
 * @param chunksTotal chunks that re-index set out to embed again
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IndexStatus(String status, String model, String provider, Integer dimension, String replacing, long chunksDone,
        long chunksTotal, Instant startedAt, Instant finishedAt) {

    public static final String READY = "ready";
    public static final String REINDEXING = "reindexing";
}
