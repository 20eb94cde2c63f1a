package dev.switchboard.knowledge.internal;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import dev.switchboard.knowledge.internal.embedding.EmbeddingSettings;
import dev.switchboard.knowledge.internal.retrieval.RelevanceSettings;

/**
 * Knowledge settings ({@code switchboard.knowledge}).
 *
 * @param maxUpload the largest document accepted; larger uploads get 413 before anything is stored
 * @param index where chunks are indexed: {@code lucene} (under the data directory, each replica its own),
 *        {@code pgvector} (pgvector and PostgreSQL full text in the application's database, shared by every replica;
 *        start-up fails without the {@code vector} extension) or {@code auto} (pgvector when the database has the
 *        extension, else Lucene)
 * @param maxExtractedCharacters the most text one document may expand to (bounds zip bombs and huge sheets)
 * @param maxChunks the most chunks one document may have
 * @param ingestionWorkers documents ingested at the same time on each replica
 * @param maxAttempts attempts of an ingestion that fails for a passing reason before the document is failed
 * @param jobTimeout the time budget of one ingestion attempt; past it the document fails with that reason (a hostile
 *        or stalled document cannot hold a worker for ever however it keeps its job's heartbeat alive)
 * @param maxConcurrentPerTenant documents of one tenant ingested at the same time across all replicas, so one
 *        tenant's flood cannot take every worker from the others
 * @param relevance how a search decides that it found something relevant; when it did not, a turn gets no passages
 *        and the persona says it found nothing instead of guessing ({@link RelevanceSettings})
 * @param embedding which model embeds chunks and queries (the local one by default)
 * @param indexFollowInterval with the Lucene index, how often each replica's index reads what changed in the database
 *        (chunks any replica indexed, re-indexed or deleted): the longest a change takes to be searchable on every replica,
 *        one look taking a few milliseconds when nothing changed
 * @param ingestionBatchDocuments documents of one tenant an ingestion job takes together (itself and the due jobs of
 *        other small documents): their chunks are embedded in shared batches, each indexed with one commit and recorded in
 *        one transaction; 1 ingests each document alone
 * @param queryEmbeddingCache query vectors each replica keeps for queries asked again (0: none); a query asked again
 *        skips the embedding model, the largest single cost of a search
 * @param indexIdleMerge with the Lucene index, how long it goes without writes before its segments are merged into one
 *        (a search walks each segment's HNSW graph on its own); zero never merges them
 */
@Validated
@ConfigurationProperties("switchboard.knowledge")
public record KnowledgeProperties(
        @NotNull @DefaultValue("25MB") DataSize maxUpload,
        @NotNull @DefaultValue("auto") IndexKind index,
        @Min(1000) @DefaultValue("20000000") long maxExtractedCharacters,
        @Min(1) @DefaultValue("50000") int maxChunks,
        @Min(1) @Max(64) @DefaultValue("2") int ingestionWorkers,
        @Min(1) @Max(20) @DefaultValue("3") int maxAttempts,
        @NotNull @DefaultValue("10m") Duration jobTimeout,
        @Min(1) @Max(64) @DefaultValue("1") int maxConcurrentPerTenant,
        @Valid @NotNull @DefaultValue RelevanceSettings relevance,
        @Valid @NotNull @DefaultValue EmbeddingSettings embedding,
        @NotNull @DefaultValue("1s") Duration indexFollowInterval,
        @Min(1) @Max(256) @DefaultValue("32") int ingestionBatchDocuments,
        @Min(0) @Max(1_000_000) @DefaultValue("1024") int queryEmbeddingCache,
        @NotNull @DefaultValue("1m") Duration indexIdleMerge) {

    /** Index choices. */
    public enum IndexKind {
        AUTO, LUCENE, PGVECTOR
    }

    public KnowledgeProperties {
        if (maxUpload.toBytes() <= 0) {
            throw new IllegalArgumentException("switchboard.knowledge.max-upload must be positive, e.g. 25MB");
        }
        if (indexFollowInterval.compareTo(Duration.ofMillis(50)) < 0 || indexFollowInterval.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException("switchboard.knowledge.index-follow-interval must be between 50ms and 10m, e.g. 1s");
        }
        if (indexIdleMerge.isNegative() || !indexIdleMerge.isZero() && indexIdleMerge.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("switchboard.knowledge.index-idle-merge must be 0 (never) or at least 1s, e.g. 1m");
        }
        if (jobTimeout.compareTo(Duration.ofSeconds(10)) < 0) {
            throw new IllegalArgumentException("switchboard.knowledge.job-timeout must be at least 10s (it bounds one "
                    + "ingestion attempt), e.g. 10m");
        }
    }
}
