package dev.switchboard.knowledge.internal.retrieval;

/**
 * How lexical and dense results are fused. Tuned on SciFact's training split (see {@code SciFactRetrievalIT}).
 *
 * @param candidates hits taken from each of the two searches before fusing (at least the number asked for)
 * @param rrfK reciprocal-rank-fusion constant: larger flattens the difference between ranks
 * @param lexicalWeight weight of a chunk's BM25 rank
 * @param denseWeight weight of a chunk's vector rank
 */
public record FusionSettings(int candidates, int rrfK, double lexicalWeight, double denseWeight) {

    public static final FusionSettings DEFAULT = new FusionSettings(100, 60, 1.0, 1.0);

    public FusionSettings {
        if (candidates < 1 || rrfK < 0 || lexicalWeight < 0 || denseWeight < 0 || lexicalWeight + denseWeight == 0) {
            throw new IllegalArgumentException("Fusion needs candidates >= 1, k >= 0 and non-negative weights, not both 0");
        }
    }
}
