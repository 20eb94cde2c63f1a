package dev.switchboard.knowledge.internal.index;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.BytesRef;

/**
 * The queries the index runs. User text is never given to a query parser (its syntax would make ordinary
 * questions fail or match oddly): it is analysed like the indexed text and becomes a disjunction of its terms.
 */
final class Queries {

    /** Distinct terms kept from a query; a pasted page should not become a thousand-clause query. */
    static final int MAX_TERMS = 256;

    private Queries() {
    }

    /** Chunks of the tenant in one of the knowledge bases: the filter of every search, kept whole ({@link ScopeQuery}). */
    static Query scope(UUID tenantId, Set<UUID> knowledgeBaseIds) {
        return new ScopeQuery(new BooleanQuery.Builder()
                .add(new TermQuery(new Term(ChunkDocuments.TENANT, tenantId.toString())), Occur.FILTER)
                .add(new TermInSetQuery(ChunkDocuments.KNOWLEDGE_BASE, knowledgeBaseIds.stream().map(id -> new BytesRef(id.toString()))
                        .toList()),
                        Occur.FILTER)
                .build());
    }

    /**
     * The scope as {@link #scope(UUID, Set)}, or null when every chunk of {@code reader} is in it (a deployment with one
     * tenant, a search over all its knowledge bases): then the filter would keep everything and only cost time, the
     * lexical search intersecting every posting with it and the vector search building a bit set of the whole index
     * first. Decided from the terms' document counts (which count deleted chunks too, as {@code maxDoc} does), a few
     * look-ups per segment.
     */
    static Query scope(IndexReader reader, UUID tenantId, Set<UUID> knowledgeBaseIds) throws IOException {
        int all = reader.maxDoc();
        if (all > 0 && reader.docFreq(new Term(ChunkDocuments.TENANT, tenantId.toString())) == all) {
            long inBases = 0;
            for (UUID knowledgeBaseId : knowledgeBaseIds) {
                inBases += reader.docFreq(new Term(ChunkDocuments.KNOWLEDGE_BASE, knowledgeBaseId.toString()));
            }
            if (inBases == all) {
                return null;
            }
        }
        return scope(tenantId, knowledgeBaseIds);
    }

    /** Chunks of one document of the tenant. */
    static Query document(UUID tenantId, UUID documentId) {
        return new BooleanQuery.Builder()
                .add(new TermQuery(new Term(ChunkDocuments.TENANT, tenantId.toString())), Occur.FILTER)
                .add(new TermQuery(new Term(ChunkDocuments.DOCUMENT, documentId.toString())), Occur.FILTER)
                .build();
    }

    /**
     * BM25 over the query's terms ({@link #terms}) within the scope (none: the whole index), a term repeated in the
     * query weighing more; null when the query has no searchable term (only stop words or punctuation).
     */
    static Query lexical(Map<String, Integer> terms, Query scope) {
        if (terms.isEmpty()) {
            return null;
        }
        BooleanQuery.Builder anyTerm = new BooleanQuery.Builder();
        terms.forEach((term, count) -> {
            Query query = new TermQuery(new Term(ChunkDocuments.TEXT, term));
            anyTerm.add(count == 1 ? query : new BoostQuery(query, count), Occur.SHOULD);
        });
        BooleanQuery.Builder lexical = new BooleanQuery.Builder().add(anyTerm.build(), Occur.MUST);
        return scope == null ? lexical.build() : lexical.add(scope, Occur.FILTER).build();
    }

    /** The query's distinct terms (at most {@link #MAX_TERMS}) with how often each occurs, in order of appearance. */
    static Map<String, Integer> terms(Analyzer analyzer, String text) {
        Map<String, Integer> terms = new LinkedHashMap<>();
        try (TokenStream tokens = analyzer.tokenStream(ChunkDocuments.TEXT, text)) {
            CharTermAttribute term = tokens.addAttribute(CharTermAttribute.class);
            tokens.reset();
            while (tokens.incrementToken()) {
                String value = term.toString();
                if (terms.size() < MAX_TERMS || terms.containsKey(value)) {
                    terms.merge(value, 1, Integer::sum);
                }
            }
            tokens.end();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return terms;
    }
}
