package dev.switchboard.knowledge.internal.retrieval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.switchboard.knowledge.internal.index.ChunkHit;
import dev.switchboard.knowledge.internal.index.QueryTerms;
import dev.switchboard.knowledge.internal.index.TextAnalysis;

/** The relevance evidence, on hand-made candidate lists (the calibration itself is {@code AnswerQualityTests}). */
class RelevanceDecisionTests {

    private static final RelevanceSettings SETTINGS = new RelevanceSettings(0.8, 2.0, 3, 0.4, 0.5, 0.85);
    private final RelevanceDecision decision = new RelevanceDecision(SETTINGS);

    @Test
    void evidenceIsTheBestCosinePlusWeightedDistinctivenessAndCoverage() {
        List<ChunkHit> dense = hits(0.70, "The maintenance supervisor signs every work order.", 0.55,
                "Conveyor chains are lubricated weekly.",
                0.50, "Visitors sign in at reception.", 0.45, "Forklifts are charged at the east wall.");

        Relevance relevance = decision.judge("Who signs work orders?", dense, List.of(), dense.subList(0, 1));

        assertThat(relevance.topSimilarity()).isEqualTo(0.70);
        assertThat(relevance.referenceSimilarity()).as("the third most similar chunk").isEqualTo(0.50);
        assertThat(relevance.lexicalCoverage()).as("sign, work and order are in the best hit; who, in no chunk, weighs most")
                .isStrictlyBetween(0.5, 1.0);
        assertThat(relevance.evidence()).isCloseTo(0.70 + 2.0 * 0.20 + 0.5 * relevance.lexicalCoverage(), within(1e-9));
        assertThat(relevance.relevant()).isTrue();
    }

    @Test
    void aQuestionMerelyOnTheTopicIsNotDistinctiveEnough() {
        List<ChunkHit> dense = hits(0.66, "Technicians report to the maintenance supervisor.", 0.64, "Maintenance of the filler valves.",
                0.63, "Spare parts for maintenance are kept in the cage.", 0.60, "Maintenance work orders.");

        Relevance relevance = decision.judge("How much does a maintenance technician earn?", dense, List.of(), dense.subList(0, 1));

        assertThat(relevance.evidence()).isLessThan(SETTINGS.threshold());
        assertThat(relevance.relevant()).isFalse();
    }

    @Test
    void aBestChunkAtTheSufficientSimilarityIsRelevantWhateverTheRest() {
        RelevanceDecision evidenceOutOfReach = new RelevanceDecision(new RelevanceSettings(5.0, 2.0, 3, 0.4, 0.5, 0.85));
        String claim = "Vitamin D supplements reduce fractures in older people.";
        List<ChunkHit> similar = hits(0.86, "Vitamin D supplementation lowers fracture risk in the elderly.", 0.85,
                "Vitamin D and bone density.",
                0.85, "Calcium, vitamin D and falls.");
        List<ChunkHit> justBelow = hits(0.84, similar.getFirst().text(), 0.84, "Vitamin D and bone density.", 0.84, "Calcium and falls.");

        assertThat(evidenceOutOfReach.judge(claim, similar, List.of(), similar.subList(0, 1)).relevant()).isTrue();
        assertThat(evidenceOutOfReach.judge(claim, justBelow, List.of(), justBelow.subList(0, 1)).relevant()).isFalse();
    }

    @Test
    void aScopeSmallerThanTheReferenceRankIsComparedWithTheBackgroundSimilarity() {
        List<ChunkHit> onePage = hits(0.60, "The maintenance supervisor, Dana Okafor, supervises all maintenance work.");

        Relevance answerable = decision.judge("Who supervises maintenance?", onePage, onePage, onePage);
        Relevance offTopic = decision.judge("What is the capital of Australia?", hits(0.38, onePage.getFirst().text()), List.of(), onePage);

        assertThat(answerable.referenceSimilarity()).isEqualTo(SETTINGS.backgroundSimilarity());
        assertThat(answerable.relevant()).isTrue();
        assertThat(offTopic.lexicalCoverage()).isZero();
        assertThat(offTopic.relevant()).isFalse();
    }

    @Test
    void rareTermsWeighMoreThanTermsEveryChunkHas() {
        List<ChunkHit> dense = hits(0.6, "Error ERR-4031 means the licence file of the service is missing.", 0.6,
                "The service starts at boot.",
                0.6, "The service logs to syslog.");
        List<ChunkHit> rareFirst = dense;
        List<ChunkHit> commonFirst = List.of(dense.get(1));

        double rare = decision.judge("service error ERR-4031", dense, List.of(), rareFirst).lexicalCoverage();
        double common = decision.judge("service error ERR-4031", dense, List.of(), commonFirst).lexicalCoverage();

        assertThat(rare).isEqualTo(1.0);
        assertThat(common).isGreaterThan(0).isLessThan(0.2);
    }

    @Test
    void queryTermsTheIndexReadReplaceTheAnalysisOfTheTextsWhenMadeTheSameWay() {
        List<ChunkHit> dense = hits(0.6, "Error ERR-4031 means the licence file of the service is missing.", 0.6,
                "The service starts at boot.");
        String query = "service error ERR-4031";
        Map<UUID, Set<String>> none = Map.of(dense.get(0).chunkId(), Set.of(), dense.get(1).chunkId(), Set.of());

        double fromTexts = decision.judge(query, dense, List.of(), dense).lexicalCoverage();
        double fromIndex = decision.judge(query, dense, List.of(), dense, new QueryTerms(TextAnalysis.ENGLISH_PORTER, none))
                .lexicalCoverage();
        double otherAnalysis = decision.judge(query, dense, List.of(), dense, new QueryTerms(TextAnalysis.STANDARD, none))
                .lexicalCoverage();

        assertThat(fromTexts).isEqualTo(1.0);
        assertThat(fromIndex).as("the index said the best hit contains none of the terms").isZero();
        assertThat(otherAnalysis).as("terms of another analysis are not comparable: the texts are analysed").isEqualTo(1.0);
    }

    @Test
    void nothingInScopeIsNotRelevant() {
        assertThat(decision.judge("anything", List.of(), List.of(), List.of())).isEqualTo(Relevance.NONE);
        assertThat(new Retrieval(List.of(), new Relevance(0.9, 0.1, 1, 3, true)).relevant()).as("no hits, nothing to hand over").isFalse();
    }

    private static List<ChunkHit> hits(Object... scoresAndTexts) {
        List<ChunkHit> hits = new ArrayList<>();
        UUID document = UUID.randomUUID();
        for (int i = 0; i < scoresAndTexts.length; i += 2) {
            hits.add(new ChunkHit(UUID.randomUUID(), document, "manual.md", UUID.randomUUID(), i / 2, "", (String) scoresAndTexts[i + 1],
                    ((Number) scoresAndTexts[i]).doubleValue()));
        }
        return hits;
    }
}
