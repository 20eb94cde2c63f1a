package dev.switchboard.knowledge.internal.ingestion;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.switchboard.knowledge.internal.KnowledgeProperties;
import dev.switchboard.knowledge.internal.embedding.BgeSmallEmbedder;
import dev.switchboard.knowledge.internal.embedding.Embedder;
import dev.switchboard.knowledge.internal.embedding.RemoteEmbedder;
import dev.switchboard.knowledge.internal.index.ChunkIndex;

/**
 * Which embedding model the index serves, recorded in {@code knowledge_index_state} (one row per deployment),
 * and whether a re-index to the configured model is under way. At start-up {@link #prepare()} compares the
 * configured model with the record: the same → ready; another, or none recorded while chunks exist (an index
 * written before models were recorded) → a re-index is started, or resumed if it was already moving to this
 * model. The same model but an empty shared index while the database has chunks (pgvector chosen after Lucene) → the
 * index is rebuilt from the chunk rows the same way. A replica's Lucene index follows the chunk rows and their vectors
 * instead ({@code IndexFollower}): an empty one is filled from them without embedding anything.
 */
@Component
public class IndexState {

    private static final Logger log = LoggerFactory.getLogger(IndexState.class);

    /** The index's state as recorded. */
    record Snapshot(String model, Integer dimension, String provider, String targetModel, String targetProvider,
            UUID cursorTenant, UUID cursorDocument, Integer cursorOrdinal, long chunksDone, long chunksTotal,
            Instant startedAt, Instant finishedAt) {
    }

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Embedder embedder;
    private final ChunkIndex index;
    private final String provider;
    private volatile boolean reindexing;

    IndexState(JdbcClient jdbc, PlatformTransactionManager transactionManager, Embedder embedder, ChunkIndex index,
            KnowledgeProperties properties) {
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactionManager);
        this.embedder = embedder;
        this.index = index;
        this.provider = properties.embedding().provider().id();
    }

    /** Whether chunks are being embedded again by the configured model (dense search then covers only some). */
    public boolean reindexing() {
        return reindexing;
    }

    /** What the index serves and how far a re-index got, for {@code GET /api/knowledge/index}. */
    public IndexStatus status() {
        Snapshot state = transactions.execute(tx -> read(false));
        boolean moving = state.targetModel() != null;
        Integer dimension = !moving && embedder.modelId().equals(state.model()) && state.dimension() != null
                ? state.dimension() : knownDimension();
        return new IndexStatus(moving ? IndexStatus.REINDEXING : IndexStatus.READY, embedder.modelId(), provider, dimension,
                moving ? state.model() : null, state.chunksDone(), Math.max(state.chunksDone(), state.chunksTotal()),
                state.startedAt(), state.finishedAt());
    }

    /**
     * Compares the configured model with the recorded one.
     *
     * @return whether a re-index job must run (a new one, or one to resume)
     * @throws IllegalStateException when the configured model answers vectors of another size than recorded
     */
    boolean prepare() {
        boolean needed = Boolean.TRUE.equals(transactions.execute(tx -> {
            Snapshot state = read(true);
            String configured = embedder.modelId();
            // A replica's own index that follows the chunk rows catches up by itself (IndexFollower), without embedding.
            boolean lost = !index.followsDatabase() && state.model() != null && hasChunks() && index.isEmpty();
            if (configured.equals(state.model()) && state.targetModel() == null && !lost) {
                if (state.dimension() != null && embedder instanceof RemoteEmbedder remote) {
                    remote.expectDimension(state.dimension());
                }
                return false;
            }
            if (state.model() == null && state.targetModel() == null && !hasChunks()) {
                jdbc.sql("update knowledge_index_state set model = :model, provider = :provider, dimension = :dimension, "
                        + "updated_at = now()")
                        .param("model", configured).param("provider", provider).param("dimension", knownDimension()).update();
                log.info("The knowledge index is empty; it records the embedding model {}", configured);
                return false;
            }
            if (configured.equals(state.targetModel()) && !lost) {
                log.info("Resuming the re-index from {} to {} ({} of {} chunks done)", state.model(), configured,
                        state.chunksDone(), state.chunksTotal());
                return true;
            }
            if (state.model() == null || lost) {
                // Vectors written before models were recorded sit in a field no model names, and an empty index has
                // none: embed everything again.
                jdbc.sql("select switchboard_knowledge_forget_models()").query(Integer.class).single();
            }
            if (lost && state.targetModel() == null) {
                log.warn("The knowledge index is empty while the database holds chunks (another index was chosen, or its "
                        + "directory was not kept): rebuilding it from the chunk rows in the background");
            }
            long total = jdbc.sql("select switchboard_knowledge_reindex_chunks(:model)").param("model", configured)
                    .query(Long.class).single();
            jdbc.sql("update knowledge_index_state set target_model = :model, target_provider = :provider, cursor_tenant = null, "
                    + "cursor_document = null, cursor_ordinal = null, chunks_done = 0, chunks_total = :total, "
                    + "started_at = now(), finished_at = null, updated_at = now()")
                    .param("model", configured).param("provider", provider).param("total", total).update();
            log.info("The embedding model changed from {} to {}: re-indexing {} chunks in the background",
                    state.model() == null ? "(not recorded)" : state.model(), configured, total);
            return true;
        }));
        reindexing = needed;
        return needed;
    }

    /** The re-index to {@code model} is complete: the index now serves it. */
    void finish(String model, int dimension) {
        transactions.executeWithoutResult(tx -> jdbc.sql("update knowledge_index_state set model = target_model, provider = "
                + "target_provider, dimension = :dimension, target_model = null, target_provider = null, cursor_tenant = null, "
                + "cursor_document = null, cursor_ordinal = null, finished_at = now(), updated_at = now() "
                + "where target_model = :model")
                .param("dimension", dimension).param("model", model).update());
        reindexing = false;
    }

    /** Records the dimension of the served model once an answer has told it (remote models). */
    void noteDimension(int dimension) {
        transactions.executeWithoutResult(tx -> jdbc.sql("update knowledge_index_state set dimension = :dimension, "
                + "updated_at = now() where model = :model and target_model is null and dimension is null")
                .param("dimension", dimension).param("model", embedder.modelId()).update());
    }

    /** The state as recorded; inside a transaction. */
    Snapshot read(boolean forUpdate) {
        return jdbc.sql("select * from knowledge_index_state" + (forUpdate ? " for update" : ""))
                .query(IndexState::snapshot).single();
    }

    private boolean hasChunks() {
        return Boolean.TRUE.equals(jdbc.sql("select switchboard_knowledge_has_chunks()").query(Boolean.class).single());
    }

    private Integer knownDimension() {
        if (embedder instanceof RemoteEmbedder remote) {
            return remote.knownDimension().isPresent() ? remote.knownDimension().getAsInt() : null;
        }
        // The local model: asking would load it, and its size is fixed.
        return embedder.modelId().equals(BgeSmallEmbedder.MODEL_ID)
                ? BgeSmallEmbedder.DIMENSION : null;
    }

    private static Snapshot snapshot(ResultSet rs, int row) throws SQLException {
        return new Snapshot(rs.getString("model"), (Integer) rs.getObject("dimension"), rs.getString("provider"),
                rs.getString("target_model"), rs.getString("target_provider"), rs.getObject("cursor_tenant", UUID.class),
                rs.getObject("cursor_document", UUID.class), (Integer) rs.getObject("cursor_ordinal"), rs.getLong("chunks_done"),
                rs.getLong("chunks_total"), instant(rs.getTimestamp("started_at")), instant(rs.getTimestamp("finished_at")));
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
