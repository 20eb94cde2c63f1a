package dev.switchboard.knowledge.internal.retrieval;

/**
 * The evidence behind a search's relevance verdict (see {@link RelevanceSettings} for the formula).
 *
 * @param topSimilarity the highest cosine similarity of the query to any chunk in scope (0 when none)
 * @param referenceSimilarity the cosine of the reference chunk, or the background similarity in a small scope
 * @param lexicalCoverage the share of the query's term weight (IDF over the candidate chunks) found in the best hit, 0–1
 * @param evidence the weighted sum compared with the threshold
 * @param relevant whether the evidence reaches the threshold
 */
public record Relevance(double topSimilarity, double referenceSimilarity, double lexicalCoverage, double evidence, boolean relevant) {

    /** Nothing in scope, or nothing to search for. */
    public static final Relevance NONE = new Relevance(0, 0, 0, 0, false);
}
