package dev.switchboard.knowledge.internal.retrieval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

import dev.switchboard.knowledge.internal.index.ChunkHit;
import dev.switchboard.knowledge.internal.index.QueryTerms;
import dev.switchboard.knowledge.internal.index.TextAnalysis;

/**
 * Whether a search found something relevant, from three pieces of evidence that each fail differently:
 * <ul>
 * <li><b>The best cosine</b> alone depends on the question's style: long statements score higher than short
 *     questions or keywords against the same passage, so one fixed cut-off either turns away short questions or lets
 *     through long unanswerable ones (on the answer-quality set the former 0.55 cut-off let through 93% of plausible
 *     questions the documents do not answer).</li>
 * <li><b>Distinctiveness</b> — how far the best chunk stands out from the knowledge base's
 *     {@code reference-rank}-th most similar chunk — is what a question with an answer has and a question merely on
 *     the knowledge base's topic lacks: the style lifts or lowers all chunks alike, so the difference cancels it.</li>
 * <li><b>Rare-term coverage</b> — the share of the query's term weight (IDF, computed over the chunks the dense search
 *     returned, so it works with either index) that the best hit contains — rewards a hit that names what was asked
 *     (a code, a name, a product) and penalises questions whose key word the knowledge base never uses.</li>
 * </ul>
 * A best cosine at or above {@code sufficient-similarity} counts as relevant on its own: in a large knowledge base
 * on one subject (SciFact) every chunk is similar to a question on that subject and the best does not stand out.
 * <p>
 * Thread-safe.
 */
public final class RelevanceDecision {

    private final RelevanceSettings settings;
    /** How query and chunk texts become terms for the coverage (BM25's analysis in the Lucene index's defaults). */
    static final TextAnalysis ANALYSIS = TextAnalysis.ENGLISH_PORTER;

    private final Analyzer analyzer = ANALYSIS.analyzer();

    public RelevanceDecision(RelevanceSettings settings) {
        this.settings = settings;
    }

    /**
     * Judges a search.
     *
     * @param query the query as the user wrote it
     * @param dense the dense candidates, best first (cosine scores)
     * @param lexical the lexical candidates (not used by this decision: the dense ones sample the scope)
     * @param fused the hits the caller gets, best first
     */
    public Relevance judge(String query, List<ChunkHit> dense, List<ChunkHit> lexical, List<ChunkHit> fused) {
        return judge(query, dense, lexical, fused, QueryTerms.NONE);
    }

    /**
     * As {@link #judge(String, List, List, List)}, taking the query terms a candidate contains from {@code known} where the
     * index read them with this decision's analysis (the same terms its own analysis of the text would find, without
     * analysing it).
     */
    public Relevance judge(String query, List<ChunkHit> dense, List<ChunkHit> lexical, List<ChunkHit> fused, QueryTerms known) {
        if (dense.isEmpty() || fused.isEmpty()) {
            return Relevance.NONE;
        }
        double top = dense.getFirst().score();
        double reference = dense.size() >= settings.referenceRank() ? dense.get(settings.referenceRank() - 1).score()
                : settings.backgroundSimilarity();
        double coverage = coverage(query, dense, fused.getFirst(), known);
        double evidence = top + settings.distinctivenessWeight() * (top - reference) + settings.lexicalWeight() * coverage;
        return new Relevance(top, reference, coverage, evidence, evidence >= settings.threshold() || top >= settings
                .sufficientSimilarity());
    }

    /**
     * Share of the query terms' IDF that {@code best} contains, the IDF taken over the dense candidates (the whole
     * scope in a small knowledge base; its neighbourhood of the query in a large one) and the best hit.
     */
    private double coverage(String query, List<ChunkHit> dense, ChunkHit best, QueryTerms known) {
        Set<String> queryTerms = new HashSet<>(terms(query));
        if (queryTerms.isEmpty()) {
            return 0;
        }
        Map<UUID, ChunkHit> candidates = new LinkedHashMap<>();
        dense.forEach(hit -> candidates.putIfAbsent(hit.chunkId(), hit));
        candidates.putIfAbsent(best.chunkId(), best);
        Map<String, Integer> documentFrequency = new HashMap<>();
        Set<String> inBest = Set.of();
        for (ChunkHit candidate : candidates.values()) {
            Set<String> read = known.in(candidate.chunkId(), ANALYSIS);
            Set<String> present = new HashSet<>(read != null ? read : terms(candidate.text()));
            present.retainAll(queryTerms);
            present.forEach(term -> documentFrequency.merge(term, 1, Integer::sum));
            if (candidate.chunkId().equals(best.chunkId())) {
                inBest = present;
            }
        }
        int chunks = candidates.size();
        double total = 0;
        double covered = 0;
        for (String term : queryTerms) {
            int frequency = documentFrequency.getOrDefault(term, 0);
            double idf = Math.log(1 + (chunks - frequency + 0.5) / (frequency + 0.5));
            total += idf;
            if (inBest.contains(term)) {
                covered += idf;
            }
        }
        return total == 0 ? 0 : covered / total;
    }

    private List<String> terms(String text) {
        List<String> terms = new java.util.ArrayList<>();
        try (TokenStream tokens = analyzer.tokenStream("text", text)) {
            CharTermAttribute term = tokens.addAttribute(CharTermAttribute.class);
            tokens.reset();
            while (tokens.incrementToken()) {
                terms.add(term.toString());
            }
            tokens.end();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return terms;
    }
}
