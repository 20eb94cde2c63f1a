package dev.switchboard.knowledge.internal.ingestion;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.switchboard.knowledge.KnowledgeDocument;
import dev.switchboard.knowledge.internal.DocumentStore;
import dev.switchboard.knowledge.internal.KnowledgeProperties;
import dev.switchboard.knowledge.internal.chunking.Chunk;
import dev.switchboard.knowledge.internal.embedding.Embedder;
import dev.switchboard.knowledge.internal.embedding.EmbeddingFailure;
import dev.switchboard.knowledge.internal.index.ChunkIndex;
import dev.switchboard.knowledge.internal.index.IndexedChunk;
import dev.switchboard.knowledge.internal.index.Vectors;
import dev.switchboard.knowledge.internal.parsing.Deadline;
import dev.switchboard.knowledge.internal.parsing.DocumentParser;
import dev.switchboard.knowledge.internal.parsing.ParsedDocument;
import dev.switchboard.knowledge.internal.parsing.UnreadableDocument;
import dev.switchboard.tenancy.TenantContext;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * One document's ingestion: parse → clean → chunk → embed → index, with its status and progress on the
 * document row. Chunk ids are derived from document and position, and progress is saved after each batch
 * is durably indexed, so a run that is interrupted (a crash, a restart) resumes after the last saved batch —
 * re-indexing at most that batch, under the same ids: no duplicates, no orphans.
 */
@Component
public class IngestionPipeline {

    private static final Logger log = LoggerFactory.getLogger(IngestionPipeline.class);

    static final int BATCH = 32;

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final DocumentStore store;
    private final DocumentParser parser;
    private final Chunking chunking;
    private final Embedder embedder;
    private final ChunkIndex index;
    private final KnowledgeProperties properties;
    private final MeterRegistry meters;
    private final IndexState indexState;
    private volatile boolean dimensionNoted;

    IngestionPipeline(JdbcClient jdbc, PlatformTransactionManager transactionManager, DocumentStore store, Chunking chunking,
            Embedder embedder, ChunkIndex index, KnowledgeProperties properties, MeterRegistry meters, IndexState indexState) {
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactionManager);
        this.store = store;
        this.parser = new DocumentParser(properties.maxExtractedCharacters());
        this.chunking = chunking;
        this.embedder = embedder;
        this.index = index;
        this.properties = properties;
        this.meters = meters;
        this.indexState = indexState;
    }

    /**
     * Ingests the document; failures a retry cannot fix mark it failed, others are thrown to be retried. A
     * document whose attempts are already spent (its last run died with the process, or marking it failed did
     * not work) is marked failed without another run.
     */
    public void ingest(UUID tenantId, UUID documentId) {
        ingest(tenantId, documentId, Deadline.none());
    }

    /** As {@link #ingest(UUID, UUID)}, failing the document with the reason once the attempt is past its deadline. */
    public void ingest(UUID tenantId, UUID documentId, Deadline deadline) {
        TenantContext.runAs(tenantId, () -> {
            Optional<Row> found = row(documentId);
            if (found.isEmpty() || found.get().status().equals(KnowledgeDocument.INDEXED)) {
                return;
            }
            if (found.get().status().equals(KnowledgeDocument.FAILED)) {
                // Marked failed, but its chunks' removal from the index may not have happened.
                index.deleteDocument(tenantId, documentId);
                return;
            }
            if (found.get().attempts() >= properties.maxAttempts()) {
                fail(tenantId, documentId, exhausted(found.get().attempts()));
                return;
            }
            try {
                run(tenantId, found.get(), deadline);
            }
            catch (UnreadableDocument unreadable) {
                fail(tenantId, documentId, unreadable.getMessage());
            }
            catch (EmbeddingFailure failure) {
                if (!failure.permanent()) {
                    throw failure;
                }
                fail(tenantId, documentId, failure.getMessage());
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        });
    }

    /**
     * After a failed run: marks the document failed if it has no attempt left.
     *
     * @return whether the document is done with (failed, gone or indexed): its job can end
     */
    public boolean giveUpIfExhausted(UUID tenantId, UUID documentId) {
        return TenantContext.callAs(tenantId, () -> {
            Optional<Row> found = row(documentId);
            if (found.isEmpty() || found.get().status().equals(KnowledgeDocument.INDEXED)
                    || found.get().status().equals(KnowledgeDocument.FAILED)) {
                return true;
            }
            if (found.get().attempts() < properties.maxAttempts()) {
                return false;
            }
            fail(tenantId, documentId, exhausted(found.get().attempts()));
            return true;
        });
    }

    private static String exhausted(int attempts) {
        return "Ingestion failed " + attempts + " times for a passing reason (see the server log); upload the document "
                + "again to retry.";
    }

    private record Row(UUID id, String name, String mediaType, String sha256, String status, int chunksDone, String embeddingModel,
            int attempts) {
    }

    /** The watchdog's verdict on an attempt past its budget: the document fails with the reason, unless it is done. */
    void timedOut(UUID tenantId, UUID documentId, String reason) {
        TenantContext.runAs(tenantId, () -> {
            Optional<Row> found = row(documentId);
            if (found.isPresent() && !found.get().status().equals(KnowledgeDocument.INDEXED)
                    && !found.get().status().equals(KnowledgeDocument.FAILED)) {
                fail(tenantId, documentId, reason);
            }
        });
    }

    private void run(UUID tenantId, Row document, Deadline deadline) throws UnreadableDocument, IOException {
        status(document.id(), KnowledgeDocument.PARSING);
        ParsedDocument parsed = clean(parse(tenantId, document, deadline));
        List<Chunk> chunks = chunking.chunk(parsed);
        if (chunks.isEmpty()) {
            throw new UnreadableDocument("The file contains no text to index.");
        }
        if (chunks.size() > properties.maxChunks()) {
            throw new UnreadableDocument("The file makes " + chunks.size() + " chunks, more than the limit of "
                    + properties.maxChunks() + " (switchboard.knowledge.max-chunks); split it into smaller documents.");
        }
        // Chunks embedded by another model (the model changed since the last run) are not comparable: start over.
        int start = embedder.modelId().equals(document.embeddingModel()) ? Math.min(document.chunksDone(), chunks.size()) : 0;
        Optional<UUID> knowledgeBase = transactions.execute(status -> jdbc.sql("update knowledge_documents set status = 'embedding', "
                + "chunks_total = :total, chunks_done = :start, embedding_model = :model, updated_at = now() where id = :id "
                + "returning knowledge_base_id")
                .param("total", chunks.size()).param("start", start - start % BATCH).param("model", embedder.modelId())
                .param("id", document.id()).query(UUID.class).optional());
        if (knowledgeBase.isEmpty()) {
            deleted(tenantId, document.id());
            return;
        }
        for (int from = start - start % BATCH; from < chunks.size(); from += BATCH) {
            if (deadline.passed()) {
                throw new UnreadableDocument(deadline.reason());
            }
            List<Chunk> batch = chunks.subList(from, Math.min(chunks.size(), from + BATCH));
            List<float[]> vectors = embedder.embedDocuments(batch.stream().map(Chunk::text).toList());
            List<IndexedChunk> indexed = new ArrayList<>(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                Chunk chunk = batch.get(i);
                indexed.add(new IndexedChunk(tenantId, knowledgeBase.get(), document.id(), document.name(), chunkId(document.id(),
                        chunk.ordinal()), chunk.ordinal(), chunk.location(), chunk.text(), embedder.modelId(), vectors.get(i)));
            }
            noteDimension(vectors);
            index.upsert(indexed);
            if (!recordBatch(tenantId, document.id(), indexed, from + batch.size())) {
                deleted(tenantId, document.id());
                return;
            }
            Counter.builder("switchboard.knowledge.chunks.indexed").description("Chunks embedded and indexed")
                    .register(meters).increment(batch.size());
        }
        Integer finished = transactions.execute(status -> jdbc.sql("update knowledge_documents set status = 'indexed', error = null, "
                + "updated_at = now() where id = :id and status = 'embedding'").param("id", document.id()).update());
        if (finished == null || finished == 0) {
            deleted(tenantId, document.id());
            return;
        }
        Counter.builder("switchboard.knowledge.documents").description("Documents ingested, by outcome")
                .tag("outcome", "indexed").register(meters).increment();
        log.info("Indexed document {} ({} chunks)", document.id(), chunks.size());
    }

    /**
     * Saves a batch's chunk rows and the progress, if the document is still being ingested. The progress update
     * comes first: it locks the row, so a deletion either happened before (nothing is updated, and the caller
     * removes what it just indexed, which the deletion may have missed) or waits until this commits (and then
     * removes the rows and vectors itself).
     */
    private boolean recordBatch(UUID tenantId, UUID documentId, List<IndexedChunk> indexed, int done) {
        return Boolean.TRUE.equals(transactions.execute(status -> {
            int updated = jdbc.sql("update knowledge_documents set chunks_done = :done, updated_at = now() where id = :id "
                    + "and status = 'embedding'").param("done", done).param("id", documentId).update();
            if (updated == 0) {
                return false;
            }
            for (IndexedChunk chunk : indexed) {
                // A batch written again (a resumed run, a run that started over under another model) replaces the row's
                // vector: the rows are what every replica's index follows.
                jdbc.sql("insert into knowledge_chunks (id, tenant_id, document_id, ordinal, location, text, embedding_model, embedding) "
                        + "values (:id, :tenant, :document, :ordinal, :location, :text, :model, :embedding) on conflict (id) do update "
                        + "set location = excluded.location, text = excluded.text, embedding_model = excluded.embedding_model, "
                        + "embedding = excluded.embedding")
                        .param("id", chunk.chunkId()).param("tenant", tenantId).param("document", documentId)
                        .param("ordinal", chunk.ordinal()).param("location", chunk.location()).param("text", chunk.text())
                        .param("model", chunk.model()).param("embedding", Vectors.toBytes(chunk.vector())).update();
            }
            return true;
        }));
    }

    /** Parses a copy of the original (the parsers read files), deleted afterwards. */
    private ParsedDocument parse(UUID tenantId, Row document, Deadline deadline) throws UnreadableDocument, IOException {
        Optional<Path> copy = store.copyToTemporaryFile(tenantId, document.sha256());
        if (copy.isEmpty()) {
            throw new UnreadableDocument("The original file is no longer stored; upload the document again.");
        }
        try {
            return parser.parse(copy.get(), document.mediaType(), deadline);
        }
        finally {
            Files.deleteIfExists(copy.get());
        }
    }

    /** The document was deleted (or failed) while it was being ingested: nothing of it may stay searchable. */
    private void deleted(UUID tenantId, UUID documentId) {
        index.deleteDocument(tenantId, documentId);
        log.info("Document {} was deleted during its ingestion; its chunks were removed", documentId);
    }

    private void noteDimension(List<float[]> vectors) {
        if (!dimensionNoted && !vectors.isEmpty()) {
            indexState.noteDimension(vectors.getFirst().length);
            dimensionNoted = true;
        }
    }

    /** The chunk id of a document's n-th chunk: the same on every attempt. */
    static UUID chunkId(UUID documentId, int ordinal) {
        return UUID.nameUUIDFromBytes((documentId + "/" + ordinal).getBytes(StandardCharsets.UTF_8));
    }

    /** Text as extraction leaves it is noisy: control characters, runs of spaces, hyphenated line breaks. */
    static ParsedDocument clean(ParsedDocument parsed) {
        List<ParsedDocument.Block> blocks = new ArrayList<>();
        for (ParsedDocument.Block block : parsed.blocks()) {
            String text = block.text()
                    .replaceAll("[\\p{Cntrl}&&[^\n\t]]", "")
                    .replaceAll("(\\p{L})-\n(\\p{Ll})", "$1$2")
                    .replaceAll("[ \\t\\u00A0]+", " ")
                    .replaceAll(" *\n *", "\n")
                    .replaceAll("\n{3,}", "\n\n")
                    .strip();
            if (!text.isEmpty()) {
                blocks.add(new ParsedDocument.Block(block.kind(), block.level(), block.page(), text));
            }
        }
        return new ParsedDocument(parsed.title(), blocks);
    }

    private Optional<Row> row(UUID documentId) {
        return transactions.execute(status -> jdbc.sql(
                "select id, name, media_type, sha256, status, chunks_done, embedding_model, attempts from "
                        + "knowledge_documents where id = :id")
                .param("id", documentId)
                .query((rs, n) -> new Row(rs.getObject("id", UUID.class), rs.getString("name"), rs.getString("media_type"),
                        rs.getString("sha256"), rs.getString("status"), rs.getInt("chunks_done"),
                        rs.getString("embedding_model"), rs.getInt("attempts")))
                .optional());
    }

    private void status(UUID documentId, String status) {
        transactions.executeWithoutResult(tx -> jdbc.sql("update knowledge_documents set status = :status, attempts = attempts + 1, "
                + "updated_at = now() where id = :id").param("status", status).param("id", documentId).update());
    }

    /**
     * Removes the document's chunks and marks it failed, so a failed document has nothing searchable however far it
     * got. The chunk rows and the status change commit in one transaction; the document leaves the index both before
     * (nothing of it is found while the database refuses the change) and after that commit, which is the removal that
     * counts: a look of the index follower that read the rows before they were deleted may have written them back in
     * between, and {@link ChunkIndex#deleteDocument} waits for any such page to be written before it removes them. A
     * removal done before the commit only could be undone that way, and the chunks stayed found until the follower's
     * next look. Throws when the database does not take it (the job then stays and is retried).
     */
    private void fail(UUID tenantId, UUID documentId, String reason) {
        index.deleteDocument(tenantId, documentId);
        Integer failed = transactions.execute(tx -> {
            int updated = jdbc.sql("update knowledge_documents set status = 'failed', error = :error, chunks_done = 0, "
                    + "updated_at = now() where id = :id and status <> 'failed'").param("error", reason).param("id", documentId).update();
            jdbc.sql("delete from knowledge_chunks where document_id = :id").param("id", documentId).update();
            return updated;
        });
        index.deleteDocument(tenantId, documentId);
        if (failed == null || failed == 0) {
            // Already failed (the watchdog was first): the first reason stands.
            return;
        }
        Counter.builder("switchboard.knowledge.documents").description("Documents ingested, by outcome")
                .tag("outcome", "failed").register(meters).increment();
        log.info("Document {} failed ingestion: {}", documentId, reason);
    }
}
