package dev.switchboard.knowledge;

import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Hybrid search in the current tenant's knowledge bases. */
public interface KnowledgeSearch {

    /** The result of a search, with whether the best passage clears the relevance threshold. */
    record Results(List<SearchHit> hits, double bestRelevance, boolean relevant) {
    }

    /**
     * The passages best matching the query in the given knowledge bases (ids of other tenants' or unknown
     * bases simply match nothing).
     */
    Results search(Set<UUID> knowledgeBaseIds, String query, int topK);
}
