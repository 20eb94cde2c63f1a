package dev.switchboard.knowledge.internal.retrieval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** nDCG@10 and Recall@100 against values computed by hand (log base 2, ranks from 1). */
class RetrievalEvaluationTests {

    @Test
    void ndcgOfBinaryJudgments() {
        // DCG = 1/log2(2) + 1/log2(4) = 1.5; ideal = 1 + 1/log2(3) = 1.63093
        double ndcg = RetrievalEvaluation.ndcg(List.of("a", "x", "b"), Map.of("a", 1, "b", 1), 10);
        assertThat(ndcg).isCloseTo(1.5 / 1.6309298, within(1e-6));
    }

    @Test
    void ndcgOfGradedJudgmentsUsesLinearGain() {
        // DCG = 1 + 2/log2(3) = 2.26186; ideal = 2 + 1/log2(3) = 2.63093
        double ndcg = RetrievalEvaluation.ndcg(List.of("b", "a"), Map.of("a", 2, "b", 1), 10);
        assertThat(ndcg).isCloseTo(2.2618595 / 2.6309298, within(1e-6));
    }

    @Test
    void ndcgIgnoresHitsBeyondTheCutoff() {
        List<String> ranking = List.of("x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "a");
        assertThat(RetrievalEvaluation.ndcg(ranking, Map.of("a", 1), 10)).isZero();
        // a at rank 11 under a cutoff of 11: 1/log2(12) over the ideal 1
        assertThat(RetrievalEvaluation.ndcg(ranking, Map.of("a", 1), 11)).isCloseTo(1 / (Math.log(12) / Math.log(2)), within(1e-9));
    }

    @Test
    void perfectRankingScoresOneAndZeroGradesAreNotRelevant() {
        assertThat(RetrievalEvaluation.ndcg(List.of("a", "b"), Map.of("a", 1, "b", 1, "c", 0), 10)).isEqualTo(1.0);
        assertThat(RetrievalEvaluation.ndcg(List.of("c"), Map.of("c", 0), 10)).isZero();
    }

    @Test
    void recallCountsRelevantDocumentsWithinK() {
        Map<String, Integer> judgments = Map.of("a", 1, "b", 1, "c", 2, "d", 0);
        assertThat(RetrievalEvaluation.recall(List.of("a", "d", "x", "c"), judgments, 100)).isCloseTo(2.0 / 3, within(1e-9));
        assertThat(RetrievalEvaluation.recall(List.of("x", "a", "c"), judgments, 2)).isCloseTo(1.0 / 3, within(1e-9));
    }

    @Test
    void documentsRankByTheirBestChunk() {
        assertThat(RetrievalEvaluation.documentRanking(List.of("d1", "d2", "d1", "d3", "d2"))).containsExactly("d1", "d2", "d3");
    }

    @Test
    void qrelsSkipTheHeaderAndKeepGrades() {
        Map<String, Map<String, Integer>> qrels = RetrievalEvaluation.parseQrels(List.of("query-id\tcorpus-id\tscore", "1\t10\t1",
                "1\t11\t2", "2\t20\t0", ""));
        assertThat(qrels).containsOnlyKeys("1", "2");
        assertThat(qrels.get("1")).containsExactlyInAnyOrderEntriesOf(Map.of("10", 1, "11", 2));
        assertThatThrownBy(() -> RetrievalEvaluation.parseQrels(List.of("1\t10"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void averagesOverJudgedQueriesCountingMissingRankingsAsZero() {
        Map<String, Map<String, Integer>> qrels = Map.of("q1", Map.of("a", 1), "q2", Map.of("b", 1), "q3", Map.of("c", 0));
        RetrievalEvaluation.Summary summary = RetrievalEvaluation.evaluate(Map.of("q1", List.of("a"), "q3", List.of("c")), qrels);
        // q1 perfect, q2 without results, q3 has nothing relevant and is not counted
        assertThat(summary.queries()).isEqualTo(2);
        assertThat(summary.ndcgAt10()).isEqualTo(0.5);
        assertThat(summary.recallAt100()).isEqualTo(0.5);
    }
}
