package dev.switchboard.knowledge.internal.ingestion;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.switchboard.knowledge.internal.KnowledgeProperties;
import dev.switchboard.knowledge.internal.embedding.Embedder;
import dev.switchboard.knowledge.internal.index.ChunkIndex;
import dev.switchboard.knowledge.internal.index.IndexedChunk;
import dev.switchboard.knowledge.internal.index.Vectors;
import dev.switchboard.tenancy.TenantContext;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The re-index job's work: every chunk of every indexed document not yet embedded by the configured model is
 * read back from {@code knowledge_chunks} (tenant by tenant, under row-level security), embedded again in
 * batches and written to the index under its own chunk id — replacing the chunk's old vector, never adding a
 * second copy, and stored with the chunk row (which every replica's index follows). After each batch the cursor (tenant, document, ordinal) and the progress are saved in one
 * transaction with the documents that batch completed (their {@code embedding_model} flips), so a re-index
 * stopped at any point resumes after the last saved batch, redoing at most that batch under the same ids.
 * When no document is left, chunks without a vector of the new model (old vectors of chunks deleted meanwhile)
 * are removed from the index and the recorded model flips.
 */
@Component
class Reindexing {

    private static final Logger log = LoggerFactory.getLogger(Reindexing.class);

    private record ChunkRow(UUID id, UUID documentId, UUID knowledgeBaseId, String documentName, int ordinal, String location,
            String text, int lastOrdinal) {
    }

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Embedder embedder;
    private final ChunkIndex index;
    private final IndexState state;
    private final int batchSize;
    private final Counter reembedded;

    Reindexing(JdbcClient jdbc, PlatformTransactionManager transactionManager, Embedder embedder, ChunkIndex index, IndexState state,
            KnowledgeProperties properties, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactionManager);
        this.embedder = embedder;
        this.index = index;
        this.state = state;
        this.batchSize = properties.embedding().batchSize();
        this.reembedded = Counter.builder("switchboard.knowledge.chunks.reindexed")
                .description("Chunks embedded again after the embedding model changed").register(meters);
    }

    /** Runs the re-index to the configured model until it is complete (or returns at once when none is due). */
    void run() {
        String model = embedder.modelId();
        while (true) {
            IndexState.Snapshot current = transactions.execute(tx -> state.read(false));
            if (!model.equals(current.targetModel())) {
                // Nothing to do, or a job left by another configuration: the start-up check schedules the right one.
                return;
            }
            Optional<UUID> tenant = transactions.execute(tx -> jdbc.sql(
                    "select * from switchboard_knowledge_reindex_tenants(:model) limit 1")
                    .param("model", model).query(UUID.class).optional());
            if (tenant.isEmpty()) {
                finish(model);
                return;
            }
            boolean resume = tenant.get().equals(current.cursorTenant()) && current.cursorDocument() != null;
            if (!batch(tenant.get(), model, resume ? current.cursorDocument() : null, resume ? current.cursorOrdinal() : -1)) {
                if (!resume) {
                    throw new IllegalStateException("Re-index: tenant " + tenant.get()
                            + " is listed with chunks to embed, but none were read");
                }
                // Past the cursor nothing is left in this tenant: whatever remains (if anything) starts over.
                transactions.executeWithoutResult(tx -> jdbc.sql("update knowledge_index_state set cursor_tenant = null, "
                        + "cursor_document = null, cursor_ordinal = null").update());
            }
        }
    }

    /** Embeds the next batch of the tenant's chunks after the cursor; false when there was none. */
    private boolean batch(UUID tenant, String model, UUID afterDocument, int afterOrdinal) {
        List<ChunkRow> rows = TenantContext.callAs(tenant, () -> transactions.execute(tx -> jdbc.sql("select c.id, c.document_id, "
                + "d.knowledge_base_id, d.name, c.ordinal, c.location, c.text, d.chunks_total from knowledge_chunks c "
                + "join knowledge_documents d on d.id = c.document_id "
                + "where d.status = 'indexed' and d.embedding_model is distinct from :model "
                + "and (c.document_id, c.ordinal) > (:document, :ordinal) order by c.document_id, c.ordinal limit :limit")
                .param("model", model).param("document", afterDocument == null ? new UUID(0, 0) : afterDocument)
                .param("ordinal", afterDocument == null ? -1 : afterOrdinal).param("limit", batchSize)
                .query((rs, n) -> new ChunkRow(rs.getObject("id", UUID.class), rs.getObject("document_id", UUID.class),
                        rs.getObject("knowledge_base_id", UUID.class), rs.getString("name"), rs.getInt("ordinal"),
                        rs.getString("location"), rs.getString("text"), rs.getInt("chunks_total") - 1))
                .list()));
        if (rows.isEmpty()) {
            return false;
        }
        List<float[]> vectors = embedder.embedDocuments(rows.stream().map(ChunkRow::text).toList());
        List<IndexedChunk> chunks = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            ChunkRow row = rows.get(i);
            chunks.add(new IndexedChunk(tenant, row.knowledgeBaseId(), row.documentId(), row.documentName(), row.id(), row.ordinal(),
                    row.location(), row.text(), model, vectors.get(i)));
        }
        ChunkRow last = rows.getLast();
        // Recorded with no removal of the index follower in between, as an ingestion's chunks are.
        Set<UUID> gone = index.upsertThenRecord(chunks, () -> TenantContext.callAs(tenant, () -> transactions.execute(tx -> {
            Set<UUID> batchDocuments = new LinkedHashSet<>(rows.stream().map(ChunkRow::documentId).toList());
            // A document deleted (or failed) while its chunks were embedded: its rows are gone, and what was just
            // written must go too (its deletion may have cleaned the index before this batch was written).
            Set<UUID> present = new LinkedHashSet<>(jdbc.sql("select distinct document_id from knowledge_chunks where id in (:ids)")
                    .param("ids", rows.stream().map(ChunkRow::id).toList()).query(UUID.class).list());
            for (IndexedChunk chunk : chunks) {
                jdbc.sql("update knowledge_chunks set embedding_model = :model, embedding = :embedding where id = :id")
                        .param("model", model).param("embedding", Vectors.toBytes(chunk.vector())).param("id", chunk.chunkId()).update();
            }
            List<UUID> completed = rows.stream().filter(row -> row.ordinal() >= row.lastOrdinal()).map(ChunkRow::documentId).toList();
            if (!completed.isEmpty()) {
                jdbc.sql("update knowledge_documents set embedding_model = :model where id in (:ids) and status = 'indexed'")
                        .param("model", model).param("ids", completed).update();
            }
            jdbc.sql("update knowledge_index_state set cursor_tenant = :tenant, cursor_document = :document, cursor_ordinal = :ordinal, "
                    + "chunks_done = chunks_done + :count, updated_at = now() where target_model = :model")
                    .param("tenant", tenant).param("document", last.documentId()).param("ordinal", last.ordinal())
                    .param("count", rows.size()).param("model", model).update();
            batchDocuments.removeAll(present);
            return batchDocuments;
        })));
        for (UUID document : gone) {
            index.deleteDocument(tenant, document);
        }
        reembedded.increment(rows.size());
        return true;
    }

    private void finish(String model) {
        index.deleteChunksNotEmbeddedBy(model);
        int dimension = embedder.dimension();
        state.finish(model, dimension);
        log.info("Re-index complete: the knowledge index serves {} ({} dimensions)", model, dimension);
    }
}
