package dev.switchboard.knowledge.internal.retrieval;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.switchboard.knowledge.internal.embedding.Embedder;

/**
 * The vectors of recent queries, so that a query asked again (a user refining a turn, the same question from many
 * users, a tool calling the search twice) is not embedded again: the in-process model takes 5–7 ms of a core per
 * query on the 2-core machine of {@code bench/search.sh}, the largest single cost of a search. Bounded by entries
 * (each a 384-float vector: 1,024 entries are about 1.6 MB), least recently and least frequently used evicted first;
 * keyed by the model's id and the query as the model sees it (surrounding white space removed), so a change of model
 * never returns another model's vector. Concurrent requests for the same query embed it once. A size of 0 turns it
 * off. Thread-safe.
 */
final class QueryEmbeddings {

    private final Embedder embedder;
    private final Cache<Key, float[]> vectors;

    QueryEmbeddings(Embedder embedder, int size) {
        if (size < 0) {
            throw new IllegalArgumentException("The query-embedding cache size cannot be negative");
        }
        this.embedder = embedder;
        // Evictions run on the calling thread: no task for the common pool per search.
        this.vectors = size == 0 ? null : Caffeine.newBuilder().maximumSize(size).executor(Runnable::run).build();
    }

    /** The query's vector, from the cache or the model (callers must not change it: it is shared). */
    float[] embed(String query) {
        if (vectors == null) {
            return embedder.embedQuery(query);
        }
        String stripped = query.strip();
        return vectors.get(new Key(embedder.modelId(), stripped), key -> embedder.embedQuery(key.query()));
    }

    /** Queries currently cached. */
    long size() {
        if (vectors == null) {
            return 0;
        }
        vectors.cleanUp();
        return vectors.estimatedSize();
    }

    private record Key(String model, String query) {
    }
}
