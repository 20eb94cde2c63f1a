package dev.switchboard.knowledge.internal.index;

/**
 * Tuning of the Lucene index. The defaults were chosen on SciFact (see {@code SciFactRetrievalIT}).
 *
 * @param analysis how text becomes BM25 terms (changing it needs a re-index)
 * @param bm25K1 BM25 term-frequency saturation; lower suits short passages where a repeated term adds little
 * @param bm25B BM25 length normalisation; chunks are of similar length, so it matters less than for whole documents
 * @param hnswMaxConnections HNSW graph degree (M): more links, better recall, larger index
 * @param hnswBeamWidth HNSW candidates considered while building: higher builds slower and searches better
 */
public record LuceneIndexSettings(TextAnalysis analysis, float bm25K1, float bm25B, int hnswMaxConnections, int hnswBeamWidth) {

    public static final LuceneIndexSettings DEFAULT = new LuceneIndexSettings(TextAnalysis.ENGLISH_PORTER, 0.9f, 0.4f, 16, 100);

    public LuceneIndexSettings {
        if (bm25K1 < 0 || bm25B < 0 || bm25B > 1) {
            throw new IllegalArgumentException("BM25 needs k1 >= 0 and 0 <= b <= 1");
        }
        if (hnswMaxConnections < 2 || hnswMaxConnections > 512 || hnswBeamWidth < 1 || hnswBeamWidth > 3200) {
            throw new IllegalArgumentException("HNSW needs 2 <= M <= 512 and 1 <= beam width <= 3200");
        }
    }
}
