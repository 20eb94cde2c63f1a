package dev.switchboard.knowledge.internal.retrieval;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How a search decides that something relevant was found ({@code switchboard.knowledge.relevance}): the evidence
 * <pre>
 *   best cosine + distinctiveness-weight × (best cosine − reference cosine) + lexical-weight × rare-term coverage
 * </pre>
 * must reach {@code threshold}, or the best cosine alone reach {@code sufficient-similarity}. The reference cosine is that of the {@code reference-rank}-th most similar chunk in
 * scope — how similar the question is to the knowledge base in general — or {@code background-similarity} when the
 * scope has fewer chunks than that. See {@link RelevanceDecision} for why, and {@code bench/RESULTS.md} for the
 * calibration (the answer-quality set, {@code AnswerQualityTests}).
 * <p>
 * Defaults, for the local bge-small-en-v1.5 model, chosen on the answer-quality set (354 answerable questions in three
 * styles, 150 unanswerable): the weights and rank are the best of a grid (rank 2–10, distinctiveness 0.5–3, lexical
 * 0–0.2) by unanswerable questions turned away while every style keeps ≥ 95 % of its answering passages; the
 * neighbouring settings (rank 3–7, weight 2–2.5) are within 2 points of it. The threshold is the middle of the range
 * (0.8656–0.869) where every style keeps ≥ 95 % and ≥ 80 % of the unanswerable questions are turned away. The background similarity (0.45) is a question's typical cosine to an unrelated passage of
 * a knowledge base (the median chunk's similarity to the set's questions is 0.42–0.54); with it a knowledge base of
 * one or two chunks is judged as the former fixed 0.55 cosine cut-off judged it. Another embedding model needs its
 * own calibration ({@code AnswerQualityTests} prints the figures).
 *
 * @param threshold the evidence a search needs to count as relevant
 * @param distinctivenessWeight weight of how far the best chunk stands out from the reference chunk
 * @param referenceRank which chunk (by similarity) stands for "the knowledge base in general"
 * @param backgroundSimilarity the reference cosine when the scope has fewer than {@code referenceRank} chunks
 * @param lexicalWeight weight of the share of the query's rare-term weight (IDF) that the best hit contains
 * @param sufficientSimilarity a best cosine at which the search counts as relevant whatever the rest: in a large
 *        knowledge base on one subject every chunk is similar to a question on it and none stands out (SciFact's
 *        claims against its 8,127 chunks: the evidence alone finds 80.7 % of them relevant, with this 96.4 %); on the
 *        answer-quality set 0.70 is above all but 10 of the 150 unanswerable questions
 */
public record RelevanceSettings(
        @DecimalMin("0") @DefaultValue("0.867") double threshold,
        @DecimalMin("0") @DecimalMax("10") @DefaultValue("2.5") double distinctivenessWeight,
        @Min(2) @Max(100) @DefaultValue("5") int referenceRank,
        @DecimalMin("-1") @DecimalMax("1") @DefaultValue("0.45") double backgroundSimilarity,
        @DecimalMin("0") @DecimalMax("10") @DefaultValue("0.1") double lexicalWeight,
        @DecimalMin("-1") @DecimalMax("2") @DefaultValue("0.70") double sufficientSimilarity) {

    /** The defaults above (what {@code application.yml} ships). */
    public static final RelevanceSettings DEFAULT = new RelevanceSettings(0.867, 2.5, 5, 0.45, 0.1, 0.70);
}
