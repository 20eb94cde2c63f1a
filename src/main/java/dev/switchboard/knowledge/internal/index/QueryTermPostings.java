package dev.switchboard.knowledge.internal.index;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.util.BytesRef;

/**
 * Which query terms the candidates of a search contain, read from the text field's postings: per segment holding
 * candidates, one look-up per term and one skip per candidate, instead of analysing each candidate's text.
 */
final class QueryTermPostings {

    private QueryTermPostings() {
    }

    /** For each candidate (the searcher's doc id and its chunk id), the terms among {@code terms} its text contains. */
    static Map<UUID, Set<String>> read(IndexSearcher searcher, Set<String> terms, Map<Integer, UUID> chunks) throws IOException {
        Map<UUID, Set<String>> present = new HashMap<>();
        chunks.values().forEach(chunk -> present.put(chunk, new HashSet<>()));
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        Map<Integer, List<Integer>> byLeaf = new HashMap<>();
        for (int doc : chunks.keySet()) {
            byLeaf.computeIfAbsent(ReaderUtil.subIndex(doc, leaves), leaf -> new ArrayList<>()).add(doc);
        }
        PostingsEnum postings = null;
        for (Map.Entry<Integer, List<Integer>> entry : byLeaf.entrySet()) {
            LeafReaderContext leaf = leaves.get(entry.getKey());
            Terms text = leaf.reader().terms(ChunkDocuments.TEXT);
            if (text == null) {
                continue;
            }
            int[] docs = entry.getValue().stream().mapToInt(Integer::intValue).sorted().toArray();
            TermsEnum termsEnum = text.iterator();
            for (String term : terms) {
                if (!termsEnum.seekExact(new BytesRef(term))) {
                    continue;
                }
                postings = termsEnum.postings(postings, PostingsEnum.NONE);
                for (int doc : docs) {
                    int local = doc - leaf.docBase;
                    int current = postings.docID() < local ? postings.advance(local) : postings.docID();
                    if (current == DocIdSetIterator.NO_MORE_DOCS) {
                        break;
                    }
                    if (current == local) {
                        present.get(chunks.get(doc)).add(term);
                    }
                }
            }
        }
        return present;
    }
}
