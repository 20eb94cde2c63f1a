package dev.switchboard.knowledge.internal.retrieval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.switchboard.knowledge.internal.index.ChunkHit;

class ReciprocalRankFusionTests {

    static final UUID A = UUID.randomUUID();
    static final UUID B = UUID.randomUUID();
    static final UUID C = UUID.randomUUID();

    static ChunkHit hit(UUID id, double score) {
        return new ChunkHit(id, UUID.randomUUID(), "doc", UUID.randomUUID(), 0, "", "text " + id, score);
    }

    @Test
    void chunksFoundByBothSearchesRiseAndScoresAreSummedReciprocalRanks() {
        List<ChunkHit> lexical = List.of(hit(A, 12.0), hit(B, 7.5));
        List<ChunkHit> dense = List.of(hit(C, 0.9), hit(B, 0.8));
        List<ChunkHit> fused = ReciprocalRankFusion.fuse(lexical, dense, new FusionSettings(10, 10, 1.0, 1.0), 10);

        assertThat(fused).extracting(ChunkHit::chunkId).containsExactly(B, C, A);
        assertThat(fused.get(0).score()).isCloseTo(1.0 / 12 + 1.0 / 12, within(1e-12));
        // C (dense rank 1) and A (lexical rank 1) tie at 1/11: the dense one comes first
        assertThat(fused.get(1).score()).isCloseTo(1.0 / 11, within(1e-12));
        assertThat(fused.get(2).score()).isCloseTo(1.0 / 11, within(1e-12));
    }

    @Test
    void weightsScaleEachList() {
        List<ChunkHit> fused = ReciprocalRankFusion.fuse(List.of(hit(A, 1)), List.of(hit(C, 1)), new FusionSettings(10, 0, 2.0, 1.0), 10);
        assertThat(fused).extracting(ChunkHit::chunkId).containsExactly(A, C);
        assertThat(fused.get(0).score()).isEqualTo(2.0);
    }

    @Test
    void limitCutsTheFusedList() {
        assertThat(ReciprocalRankFusion.fuse(List.of(hit(A, 1), hit(B, 1)), List.of(hit(C, 1)), FusionSettings.DEFAULT, 2)).hasSize(2);
        assertThat(ReciprocalRankFusion.fuse(List.of(), List.of(), FusionSettings.DEFAULT, 5)).isEmpty();
    }
}
