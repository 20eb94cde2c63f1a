package dev.switchboard.knowledge.internal.retrieval;

import java.util.List;
import java.util.Set;
import java.util.UUID;

import dev.switchboard.knowledge.internal.embedding.Embedder;
import dev.switchboard.knowledge.internal.index.ChunkHit;
import dev.switchboard.knowledge.internal.index.ChunkIndex;

/**
 * Hybrid search: BM25 and vector search over the caller's knowledge bases, fused by weighted reciprocal rank.
 * BM25 finds exact names, codes and rare terms that embeddings blur; the embedding finds paraphrases BM25 misses;
 * fused they beat either alone (SciFact figures in {@code SciFactRetrievalIT}).
 * <p>
 * <b>Relevance.</b> Fused scores say nothing across queries, so {@link Retrieval#topSimilarity()} reports the best
 * cosine similarity of any chunk in scope. THRESHOLD_EVIDENCE
 * <p>
 * Thread-safe when its index and embedder are (ours are).
 */
public final class HybridRetriever {

    /** The proposed default for "nothing relevant was found" (see the class comment). */
    public static final double RELEVANCE_THRESHOLD = 0.5;

    private final ChunkIndex index;
    private final Embedder embedder;
    private final FusionSettings settings;

    public HybridRetriever(ChunkIndex index, Embedder embedder) {
        this(index, embedder, FusionSettings.DEFAULT);
    }

    public HybridRetriever(ChunkIndex index, Embedder embedder, FusionSettings settings) {
        this.index = index;
        this.embedder = embedder;
        this.settings = settings;
    }

    /** The best {@code topK} chunks for the query in the tenant's given knowledge bases, best first. */
    public List<ChunkHit> search(UUID tenantId, Set<UUID> knowledgeBaseIds, String query, int topK) {
        return retrieve(tenantId, knowledgeBaseIds, query, topK).hits();
    }

    /** As {@link #search}, with the relevance signal. */
    public Retrieval retrieve(UUID tenantId, Set<UUID> knowledgeBaseIds, String query, int topK) {
        if (query.isBlank() || knowledgeBaseIds.isEmpty() || topK <= 0) {
            return new Retrieval(List.of(), 0);
        }
        int candidates = Math.max(topK, settings.candidates());
        List<ChunkHit> dense = index.dense(tenantId, knowledgeBaseIds, embedder.embedQuery(query), candidates);
        List<ChunkHit> lexical = index.lexical(tenantId, knowledgeBaseIds, query, candidates);
        double topSimilarity = dense.isEmpty() ? 0 : dense.getFirst().score();
        return new Retrieval(ReciprocalRankFusion.fuse(lexical, dense, settings, topK), topSimilarity);
    }
}
