package dev.switchboard.knowledge.internal.index;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;

import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;

/** The chunk ids of search hits read from doc values ({@link ChunkDocuments#CHUNK_KEY}) rather than stored fields. */
final class ChunkKeys {

    private ChunkKeys() {
    }

    /** Each hit's chunk id by the searcher's doc id; null when any hit has none in doc values (written before they were). */
    static Map<Integer, UUID> read(IndexSearcher searcher, TopDocs... tops) throws IOException {
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        Map<Integer, TreeSet<Integer>> byLeaf = new HashMap<>();
        for (TopDocs top : tops) {
            for (ScoreDoc hit : top.scoreDocs) {
                byLeaf.computeIfAbsent(ReaderUtil.subIndex(hit.doc, leaves), leaf -> new TreeSet<>()).add(hit.doc);
            }
        }
        Map<Integer, UUID> keys = new HashMap<>();
        for (Map.Entry<Integer, TreeSet<Integer>> entry : byLeaf.entrySet()) {
            LeafReaderContext leaf = leaves.get(entry.getKey());
            BinaryDocValues values = leaf.reader().getBinaryDocValues(ChunkDocuments.CHUNK_KEY);
            if (values == null) {
                return null;
            }
            for (int doc : new ArrayList<>(entry.getValue())) {
                if (!values.advanceExact(doc - leaf.docBase)) {
                    return null;
                }
                keys.put(doc, ChunkDocuments.uuid(values.binaryValue()));
            }
        }
        return keys;
    }
}
