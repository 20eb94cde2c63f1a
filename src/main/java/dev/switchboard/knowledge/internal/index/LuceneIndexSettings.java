package dev.switchboard.knowledge.internal.index;

/**
 * Tuning of the Lucene index. The defaults were chosen on SciFact (see {@code SciFactRetrievalIT}): Porter
 * stemming beats no stemming by 0.04 nDCG@10 and the Krovetz stemmer by 0.005; BM25's k1 and b move it by less
 * than 0.005 (0.9 and 0.4 are Pyserini's BEIR settings); HNSW with M = 32 and beam width 200 matches exact search
 * where 16 and 100 lost 0.001, for an insertion cost that is small next to embedding a chunk.
 *
 * @param analysis how text becomes BM25 terms (changing it needs a re-index)
 * @param bm25K1 BM25 term-frequency saturation; lower suits short passages where a repeated term adds little
 * @param bm25B BM25 length normalisation; chunks are of similar length, so it matters less than for whole documents
 * @param hnswMaxConnections HNSW graph degree (M): more links, better recall, larger index
 * @param hnswBeamWidth HNSW candidates considered while building: higher builds slower and searches better
 */
public record LuceneIndexSettings(TextAnalysis analysis, float bm25K1, float bm25B, int hnswMaxConnections, int hnswBeamWidth) {

    public static final LuceneIndexSettings DEFAULT = new LuceneIndexSettings(TextAnalysis.ENGLISH_PORTER, 0.9f, 0.4f, 32, 200);

    public LuceneIndexSettings {
        if (bm25K1 < 0 || bm25B < 0 || bm25B > 1) {
            throw new IllegalArgumentException("BM25 needs k1 >= 0 and 0 <= b <= 1");
        }
        if (hnswMaxConnections < 2 || hnswMaxConnections > 512 || hnswBeamWidth < 1 || hnswBeamWidth > 3200) {
            throw new IllegalArgumentException("HNSW needs 2 <= M <= 512 and 1 <= beam width <= 3200");
        }
    }
}
