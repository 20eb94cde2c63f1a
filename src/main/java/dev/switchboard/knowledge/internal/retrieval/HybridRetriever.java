package dev.switchboard.knowledge.internal.retrieval;

import java.util.List;
import java.util.Set;
import java.util.UUID;

import dev.switchboard.knowledge.internal.embedding.Embedder;
import dev.switchboard.knowledge.internal.index.Candidates;
import dev.switchboard.knowledge.internal.index.ChunkHit;
import dev.switchboard.knowledge.internal.index.ChunkIndex;

/**
 * Hybrid search: BM25 and vector search over the caller's knowledge bases, fused by weighted reciprocal rank.
 * BM25 finds exact names, codes and rare terms that embeddings blur; the embedding finds paraphrases BM25 misses;
 * fused they beat either alone (SciFact figures in {@code SciFactRetrievalIT}).
 * <p>
 * <b>Relevance.</b> Fused scores say nothing across queries, so each search also judges whether it found anything
 * relevant ({@link RelevanceDecision}, {@link RelevanceSettings}): the best cosine similarity, how far the best chunk
 * stands out from the rest of the knowledge base, and how much of the query's rare terms the best hit contains.
 * The fixed cosine cut-off it replaces (0.55) kept every SciFact claim and short question, but let through 93% of
 * plausible questions the documents do not answer (the answer-quality set, {@code AnswerQualityTests}).
 * <p>
 * Thread-safe when its index and embedder are (ours are).
 */
public final class HybridRetriever {

    private final ChunkIndex index;
    private final Embedder embedder;
    private final QueryEmbeddings queries;
    private final FusionSettings settings;
    private final RelevanceDecision relevance;

    public HybridRetriever(ChunkIndex index, Embedder embedder) {
        this(index, embedder, FusionSettings.DEFAULT, RelevanceSettings.DEFAULT);
    }

    public HybridRetriever(ChunkIndex index, Embedder embedder, FusionSettings settings, RelevanceSettings relevance) {
        this(index, embedder, settings, relevance, 0);
    }

    /**
     * @param queryCacheSize query vectors kept for queries asked again ({@link QueryEmbeddings}; 0: none)
     */
    public HybridRetriever(ChunkIndex index, Embedder embedder, FusionSettings settings, RelevanceSettings relevance, int queryCacheSize) {
        this.index = index;
        this.embedder = embedder;
        this.queries = new QueryEmbeddings(embedder, queryCacheSize);
        this.settings = settings;
        this.relevance = new RelevanceDecision(relevance);
    }

    /** The best {@code topK} chunks for the query in the tenant's given knowledge bases, best first. */
    public List<ChunkHit> search(UUID tenantId, Set<UUID> knowledgeBaseIds, String query, int topK) {
        return retrieve(tenantId, knowledgeBaseIds, query, topK).hits();
    }

    /** As {@link #search}, with the relevance signal. */
    public Retrieval retrieve(UUID tenantId, Set<UUID> knowledgeBaseIds, String query, int topK) {
        if (query.isBlank() || knowledgeBaseIds.isEmpty() || topK <= 0) {
            return new Retrieval(List.of(), Relevance.NONE);
        }
        int candidates = Math.max(topK, settings.candidates());
        Candidates found = index.candidates(tenantId, knowledgeBaseIds, embedder.modelId(), queries.embed(query), query, candidates);
        List<ChunkHit> dense = found.dense();
        List<ChunkHit> lexical = found.lexical();
        if (found.queryTerms().analysis() != RelevanceDecision.ANALYSIS) {
            // the decision analyses the texts itself, so it needs them (an index analysing text another way)
            dense = found.complete(dense);
            lexical = found.complete(lexical);
        }
        List<ChunkHit> fused = ReciprocalRankFusion.fuse(lexical, dense, settings, topK);
        Relevance judged = relevance.judge(query, dense, lexical, fused, found.queryTerms());
        // only the hits kept are read in full (bare candidates carry their id and score)
        return new Retrieval(found.complete(fused), judged);
    }
}
