package dev.switchboard.knowledge.internal.retrieval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import dev.switchboard.knowledge.internal.embedding.BgeSmallEmbedder;
import dev.switchboard.knowledge.internal.embedding.Embedder;

/** The real embedder behind the harness's {@link VectorCache} (queries keyed apart from passages). */
final class CachingEmbedder implements Embedder {

    private static final String PLAIN = "\u0000plain\u0000";

    private final Embedder delegate;
    private final VectorCache cache;
    private final boolean queryInstruction;

    CachingEmbedder(Embedder delegate, VectorCache cache, boolean queryInstruction) {
        this.delegate = delegate;
        this.cache = cache;
        this.queryInstruction = queryInstruction;
    }

    @Override
    public String modelId() {
        return delegate.modelId();
    }

    @Override
    public int dimension() {
        return delegate.dimension();
    }

    @Override
    public List<float[]> embedDocuments(List<String> texts) {
        try {
            return cache.vectors(texts, delegate::embedDocuments);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** With the instruction, exactly what the delegate does; without, the query embedded as a passage. */
    @Override
    public float[] embedQuery(String query) {
        return queries(List.of(query)).getFirst();
    }

    /** Embeds all queries in one parallel call (so that the cache holds them before they are searched one by one). */
    void warmQueries(List<String> queries) {
        queries(queries);
    }

    private List<float[]> queries(List<String> queries) {
        String prefix = queryInstruction ? BgeSmallEmbedder.QUERY_INSTRUCTION : PLAIN;
        try {
            return cache.vectors(queries.stream().map(query -> prefix + query.strip()).toList(), keys -> delegate.embedDocuments(
                    keys.stream().map(key -> queryInstruction ? key : key.substring(PLAIN.length())).toList()));
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
