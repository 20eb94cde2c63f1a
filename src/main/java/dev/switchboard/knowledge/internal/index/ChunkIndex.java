package dev.switchboard.knowledge.internal.index;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The retrieval contract every index implements (Lucene in the embedded shape; pgvector + PostgreSQL full
 * text where the {@code vector} extension exists). Every search is filtered by tenant and knowledge bases;
 * nothing of another tenant or knowledge base is ever returned. Writes are idempotent per chunk id, so a
 * retried ingestion never duplicates chunks.
 */
public interface ChunkIndex {

    /** Adds or replaces chunks (by chunk id); visible to searches when this returns. */
    void upsert(List<IndexedChunk> chunks);

    /**
     * Adds or replaces chunks ({@link #upsert}), then runs {@code record}: the transaction that records them in the
     * database, which every replica's index follows. An index that follows the database removes no document between the
     * two on account of an earlier deletion of its chunk rows (a re-index, a failed run): such a removal either comes
     * before the chunks are written or reads them back from the rows once {@code record} has committed them.
     * {@code record} must not start a transaction that an index removal waits for.
     *
     * @return what {@code record} returns
     */
    default <T> T upsertThenRecord(List<IndexedChunk> chunks, Supplier<T> record) {
        upsert(chunks);
        return record.get();
    }

    /** Removes every chunk of a document. */
    void deleteDocument(UUID tenantId, UUID documentId);

    /**
     * Removes every chunk whose vector was not made by {@code model}, of every tenant: the end of a re-index,
     * when each chunk still in the database has been embedded again by the new model (and written under the same
     * chunk id, replacing its old vector). What is left without a vector of {@code model} are old vectors of chunks
     * that no longer exist.
     */
    void deleteChunksNotEmbeddedBy(String model);

    /** Lexical (BM25) search, best first. */
    List<ChunkHit> lexical(UUID tenantId, Set<UUID> knowledgeBaseIds, String query, int limit);

    /**
     * Dense (vector) search by cosine similarity, best first, among the chunks whose vector was made by
     * {@code model} (chunks embedded by another model are not candidates).
     */
    List<ChunkHit> dense(UUID tenantId, Set<UUID> knowledgeBaseIds, String model, float[] queryVector, int limit);

    /**
     * Both searches of a hybrid search ({@link #dense} and {@link #lexical} with the same limit), and which of the query's
     * terms each candidate contains where the index can read that cheaply. This default runs the two searches and reads
     * no terms.
     */
    default Candidates candidates(UUID tenantId, Set<UUID> knowledgeBaseIds, String model, float[] queryVector, String query, int limit) {
        return new Candidates(dense(tenantId, knowledgeBaseIds, model, queryVector, limit), lexical(tenantId, knowledgeBaseIds, query,
                limit),
                QueryTerms.NONE);
    }

    /**
     * Whether the index holds no chunk of any tenant: a new index (another kind chosen, a first start on a
     * database that already has documents) or a lost one (a Lucene directory on a volume that was not kept).
     */
    boolean isEmpty();

    /**
     * Whether this index is a replica's own copy that follows the chunk rows and their vectors in the database
     * (Lucene, kept current by the index follower) rather than one store every replica shares (pgvector).
     */
    default boolean followsDatabase() {
        return false;
    }

    /** How many chunks a document has in the index. */
    int countDocumentChunks(UUID tenantId, UUID documentId);
}
