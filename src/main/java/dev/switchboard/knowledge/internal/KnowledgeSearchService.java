package dev.switchboard.knowledge.internal;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

import dev.switchboard.knowledge.KnowledgeSearch;
import dev.switchboard.knowledge.SearchHit;
import dev.switchboard.knowledge.internal.embedding.EmbeddingFailure;
import dev.switchboard.knowledge.internal.index.ChunkHit;
import dev.switchboard.knowledge.internal.ingestion.IndexState;
import dev.switchboard.knowledge.internal.retrieval.HybridRetriever;
import dev.switchboard.knowledge.internal.retrieval.Retrieval;
import dev.switchboard.shared.SwitchboardException;
import dev.switchboard.shared.TraceAttributes;
import dev.switchboard.shared.TraceSpan;
import dev.switchboard.shared.Traces;
import dev.switchboard.tenancy.TenantContext;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Hybrid search in the current tenant, with the relevance verdict of {@code switchboard.knowledge.relevance}.
 * While the index is re-embedded by a new model, dense search reaches only the chunks already embedded by it, so
 * the dense evidence cannot tell that nothing is relevant: then lexical hits count as relevant too.
 */
@Service
class KnowledgeSearchService implements KnowledgeSearch {

    private final HybridRetriever retriever;
    private final IndexState indexState;
    private final Chunks chunks;
    private final Timer latency;
    private final Traces traces;

    KnowledgeSearchService(HybridRetriever retriever, IndexState indexState, Chunks chunks, MeterRegistry meters, Traces traces) {
        this.traces = traces;
        this.retriever = retriever;
        this.chunks = chunks;
        this.indexState = indexState;
        this.latency = Timer.builder("switchboard.knowledge.search").description("Hybrid searches, query embedding included")
                .publishPercentileHistogram().register(meters);
    }

    @Override
    public Results search(Set<UUID> knowledgeBaseIds, String query, int topK) {
        return search(knowledgeBaseIds, query, topK, false);
    }

    @Override
    public Results searchExisting(Set<UUID> knowledgeBaseIds, String query, int topK) {
        return search(knowledgeBaseIds, query, topK, true);
    }

    private Results search(Set<UUID> knowledgeBaseIds, String query, int topK, boolean requireBases) {
        if (knowledgeBaseIds.isEmpty() || query == null || query.isBlank()) {
            if (requireBases) {
                requireBases(knowledgeBaseIds, chunks.existing(knowledgeBaseIds, List.of()));
            }
            return new Results(List.of(), 0, false);
        }
        UUID tenant = TenantContext.require();
        try (TraceSpan span = traces.start("knowledge.search")) {
            span.tag(TraceAttributes.TENANT, tenant.toString()).tag(KNOWLEDGE_BASES, knowledgeBaseIds.size()).tag(TOP_K, topK);
            Retrieval retrieval;
            try {
                retrieval = latency.record(() -> retriever.retrieve(tenant, knowledgeBaseIds, query, topK));
            }
            catch (EmbeddingFailure failure) {
                span.failed("embedding_unavailable");
                throw new SwitchboardException(HttpStatus.SERVICE_UNAVAILABLE, "embedding-unavailable", "The embedding model could "
                        + "not embed the query (" + failure.getMessage() + "). Try again shortly.", failure);
            }
            // An index may still hold chunks whose rows are gone (another replica's index follows a deletion or a failed
            // ingestion within index-follow-interval): the rows decide, so a document is not found once it shows failed.
            // One read for both checks: the knowledge bases named (when required) and the hits' rows.
            Chunks.Existing existing = chunks.existing(requireBases ? knowledgeBaseIds : Set.of(), retrieval.hits().stream()
                    .map(ChunkHit::chunkId).toList());
            if (requireBases) {
                requireBases(knowledgeBaseIds, existing);
            }
            Set<UUID> stored = existing.chunkIds();
            List<SearchHit> hits = retrieval.hits().stream().filter(hit -> stored.contains(hit.chunkId()))
                    .map(hit -> new SearchHit(hit.documentId(), hit.documentName(), hit.chunkId(), hit.location(), hit.score(),
                            hit.text()))
                    .toList();
            boolean relevant = !hits.isEmpty() && (retrieval.relevant() || indexState.reindexing());
            span.tag(HITS, hits.size()).tag(RELEVANT, relevant).tag(TOP_SIMILARITY, String.valueOf(retrieval.topSimilarity()));
            return new Results(hits, retrieval.topSimilarity(), relevant);
        }
    }

    private static void requireBases(Set<UUID> knowledgeBaseIds, Chunks.Existing existing) {
        for (UUID id : knowledgeBaseIds) {
            if (!existing.knowledgeBaseIds().contains(id)) {
                throw KnowledgeBases.notFound(id);
            }
        }
    }

    /** Span attributes of a search: how many knowledge bases, how many hits, and whether they were judged relevant. */
    static final String KNOWLEDGE_BASES = "switchboard.knowledge.base_count";

    static final String TOP_K = "switchboard.knowledge.top_k";

    static final String HITS = "switchboard.knowledge.hits";

    static final String RELEVANT = "switchboard.knowledge.relevant";

    static final String TOP_SIMILARITY = "switchboard.knowledge.top_similarity";

    @Override
    public List<SearchHit> chunks(Collection<UUID> chunkIds) {
        return chunks.find(chunkIds).stream().map(chunk -> new SearchHit(chunk.documentId(), chunk.documentName(), chunk.chunkId(),
                chunk.location(), 0, chunk.text())).toList();
    }
}
