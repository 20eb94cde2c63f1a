package dev.switchboard.knowledge;

import java.util.Collection;
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

    /**
     * As {@link #search}, for a caller who named the knowledge bases: each must exist in the tenant, or the search
     * answers 404 naming the first that does not (checked in the same database read as the hits' rows, after the
     * retrieval).
     */
    Results searchExisting(Set<UUID> knowledgeBaseIds, String query, int topK);

    /**
     * The stored chunks with these ids as hits (score 0), for citing passages found other than by
     * {@link #search} (a tool's); ids of deleted chunks or other tenants' are left out.
     */
    List<SearchHit> chunks(Collection<UUID> chunkIds);
}
