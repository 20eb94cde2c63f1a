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
 * cosine similarity of any chunk in scope, and {@link #RELEVANCE_THRESHOLD} proposes where "nothing relevant"
 * begins. The evidence (bge-small-en-v1.5-q with the query instruction, default chunking; printed by
 * {@code SciFactRetrievalIT}):
 * <ul>
 * <li>SciFact, 809 training claims: the best chunk of each of the 919 relevant papers has a cosine of 0.62 or more
 *     in 99% of cases (5th percentile 0.66); 99.9% are at 0.575 or more, all at 0.55 or more. The claim's top hit is
 *     0.675 or more for 99% of claims.</li>
 * <li>60 questions unrelated to the corpus (small talk, IT, HR, general knowledge): median 0.56, 90th percentile
 *     0.60, highest 0.68 ("What is our parental leave policy?" against papers on parental leave and health).</li>
 * <li>A five-passage product handbook: unrelated questions 0.36–0.52, answerable ones 0.61–0.76.</li>
 * </ul>
 * At 0.55 no SciFact claim and none of the handbook's answerable questions is turned away, while all the
 * handbook's unrelated questions and 45% of the unrelated ones against SciFact are. 0.60 would turn away 88% of
 * the latter while keeping 99.6% of relevant papers, but leaves no margin for short questions to small, plainly
 * worded knowledge bases, whose best matches score lower than SciFact's long claims. What the threshold cannot do:
 * tell a question the knowledge base is about but does not answer (SciFact claims with their papers left out
 * still reach 0.63–0.95) from one it answers; the model has to judge that from the passages.
 * <p>
 * Thread-safe when its index and embedder are (ours are).
 */
public final class HybridRetriever {

    /** The proposed default for "nothing relevant was found" (see the class comment). */
    public static final double RELEVANCE_THRESHOLD = 0.55;

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
        List<ChunkHit> dense = index.dense(tenantId, knowledgeBaseIds, embedder.modelId(), embedder.embedQuery(query), candidates);
        List<ChunkHit> lexical = index.lexical(tenantId, knowledgeBaseIds, query, candidates);
        double topSimilarity = dense.isEmpty() ? 0 : dense.getFirst().score();
        return new Retrieval(ReciprocalRankFusion.fuse(lexical, dense, settings, topK), topSimilarity);
    }
}
