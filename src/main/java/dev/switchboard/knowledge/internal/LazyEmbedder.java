package dev.switchboard.knowledge.internal;

import java.util.List;
import java.util.function.Supplier;

import dev.switchboard.knowledge.internal.embedding.BgeSmallEmbedder;
import dev.switchboard.knowledge.internal.embedding.Embedder;

/**
 * The in-process embedding model, loaded on first use rather than at start-up: loading takes a second and
 * some hundred megabytes, which a deployment that never ingests or searches should not pay (nor every start).
 */
final class LazyEmbedder implements Embedder, AutoCloseable {

    private final Supplier<BgeSmallEmbedder> factory;
    private volatile BgeSmallEmbedder model;

    LazyEmbedder(Supplier<BgeSmallEmbedder> factory) {
        this.factory = factory;
    }

    @Override
    public String modelId() {
        return BgeSmallEmbedder.MODEL_ID;
    }

    @Override
    public int dimension() {
        return model().dimension();
    }

    @Override
    public List<float[]> embedDocuments(List<String> texts) {
        return model().embedDocuments(texts);
    }

    @Override
    public float[] embedQuery(String query) {
        return model().embedQuery(query);
    }

    private BgeSmallEmbedder model() {
        BgeSmallEmbedder loaded = model;
        if (loaded == null) {
            synchronized (this) {
                loaded = model;
                if (loaded == null) {
                    loaded = factory.get();
                    model = loaded;
                }
            }
        }
        return loaded;
    }

    @Override
    public synchronized void close() {
        if (model != null) {
            model.close();
        }
    }
}
