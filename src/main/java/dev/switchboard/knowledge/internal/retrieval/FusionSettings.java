package dev.switchboard.knowledge.internal.retrieval;

/**
 * How lexical and dense results are fused. Tuned on SciFact's training split (see {@code SciFactRetrievalIT}): a
 * sharp constant (k = 5 rather than the customary 60) because the first few ranks of each list are where the
 * relevant passages are, and BM25 weighted below the embedding (0.7) because alone it is the weaker of the two
 * (nDCG@10 0.70 against 0.75). The optimum is flat: k 1–10 with weights 0.5–0.8 and 50–300 candidates all score
 * within 0.003 of it, and the textbook k = 60 with equal weights is 0.016 lower.
 *
 * @param candidates hits taken from each of the two searches before fusing (at least the number asked for)
 * @param rrfK reciprocal-rank-fusion constant: larger flattens the difference between ranks
 * @param lexicalWeight weight of a chunk's BM25 rank
 * @param denseWeight weight of a chunk's vector rank
 */
public record FusionSettings(int candidates, int rrfK, double lexicalWeight, double denseWeight) {

    public static final FusionSettings DEFAULT = new FusionSettings(100, 5, 0.7, 1.0);

    public FusionSettings {
        if (candidates < 1 || rrfK < 0 || lexicalWeight < 0 || denseWeight < 0 || lexicalWeight + denseWeight == 0) {
            throw new IllegalArgumentException("Fusion needs candidates >= 1, k >= 0 and non-negative weights, not both 0");
        }
    }
}
