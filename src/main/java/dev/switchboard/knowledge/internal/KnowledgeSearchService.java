package dev.switchboard.knowledge.internal;

import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.springframework.stereotype.Service;

import dev.switchboard.knowledge.KnowledgeSearch;
import dev.switchboard.knowledge.SearchHit;
import dev.switchboard.knowledge.internal.retrieval.HybridRetriever;
import dev.switchboard.knowledge.internal.retrieval.Retrieval;
import dev.switchboard.tenancy.TenantContext;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/** Hybrid search in the current tenant, with the relevance verdict of {@code switchboard.knowledge.relevance-threshold}. */
@Service
class KnowledgeSearchService implements KnowledgeSearch {

    private final HybridRetriever retriever;
    private final KnowledgeProperties properties;
    private final Timer latency;

    KnowledgeSearchService(HybridRetriever retriever, KnowledgeProperties properties, MeterRegistry meters) {
        this.retriever = retriever;
        this.properties = properties;
        this.latency = Timer.builder("switchboard.knowledge.search").description("Hybrid searches, query embedding included")
                .publishPercentileHistogram().register(meters);
    }

    @Override
    public Results search(Set<UUID> knowledgeBaseIds, String query, int topK) {
        if (knowledgeBaseIds.isEmpty() || query == null || query.isBlank()) {
            return new Results(List.of(), 0, false);
        }
        UUID tenant = TenantContext.require();
        Retrieval retrieval = latency.record(() -> retriever.retrieve(tenant, knowledgeBaseIds, query, topK));
        List<SearchHit> hits = retrieval.hits().stream()
                .map(hit -> new SearchHit(hit.documentId(), hit.documentName(), hit.chunkId(), hit.location(), hit.score(), hit.text()))
                .toList();
        return new Results(hits, retrieval.topSimilarity(), retrieval.relevant(properties.relevanceThreshold()));
    }
}
