package dev.switchboard.knowledge.internal.index;

import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Which of a query's terms each candidate chunk contains, as an index read it from its postings: what the relevance
 * decision's term coverage needs, without analysing the candidates' texts again (on 100 candidates of ~200 words that
 * analysis cost more than the BM25 search itself).
 *
 * @param analysis how the terms were made (the query and the chunks analysed alike); a caller analysing another way
 *        cannot use them
 * @param byChunk for each chunk read, the query's terms its text contains (possibly none); a chunk missing from it was not
 *        read
 */
public record QueryTerms(TextAnalysis analysis, Map<UUID, Set<String>> byChunk) {

    /** Nothing read: the caller analyses the texts itself. */
    public static final QueryTerms NONE = new QueryTerms(null, Map.of());

    public QueryTerms {
        byChunk = Map.copyOf(byChunk);
    }

    /** The query terms the chunk contains, or null when it was not read (or the analysis differs). */
    public Set<String> in(UUID chunkId, TextAnalysis wanted) {
        return wanted == analysis ? byChunk.get(chunkId) : null;
    }
}
