package dev.switchboard.knowledge.internal.retrieval;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.switchboard.knowledge.internal.index.ChunkHit;

/**
 * Weighted reciprocal-rank fusion: a chunk scores {@code w / (k + rank)} for its rank in each result list it is in
 * (ranks from 1), summed. Ranks, not scores, are fused because BM25 scores and cosines are on unrelated scales
 * that vary from query to query. Pure function.
 */
public final class ReciprocalRankFusion {

    private ReciprocalRankFusion() {
    }

    /** The fused ranking, best first, scores being the fused score; ties keep the dense order, then lexical. */
    public static List<ChunkHit> fuse(List<ChunkHit> lexical, List<ChunkHit> dense, FusionSettings settings, int limit) {
        Map<UUID, ChunkHit> chunks = new LinkedHashMap<>();
        Map<UUID, Double> scores = new LinkedHashMap<>();
        add(dense, settings.denseWeight(), settings.rrfK(), chunks, scores);
        add(lexical, settings.lexicalWeight(), settings.rrfK(), chunks, scores);
        List<ChunkHit> fused = new ArrayList<>(chunks.size());
        chunks.forEach((id, hit) -> fused.add(hit.withScore(scores.get(id))));
        // a stable sort: equal scores keep the insertion order, dense hits first
        fused.sort(Comparator.comparingDouble(ChunkHit::score).reversed());
        return fused.subList(0, Math.min(limit, fused.size()));
    }

    private static void add(List<ChunkHit> hits, double weight, int k, Map<UUID, ChunkHit> chunks, Map<UUID, Double> scores) {
        for (int rank = 1; rank <= hits.size(); rank++) {
            ChunkHit hit = hits.get(rank - 1);
            chunks.putIfAbsent(hit.chunkId(), hit);
            scores.merge(hit.chunkId(), weight / (k + rank), Double::sum);
        }
    }
}
