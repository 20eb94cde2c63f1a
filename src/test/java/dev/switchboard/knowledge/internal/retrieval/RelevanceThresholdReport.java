package dev.switchboard.knowledge.internal.retrieval;

import static dev.switchboard.knowledge.internal.retrieval.SciFactRetrievalIT.printf;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The evidence for a relevance threshold: how similar relevant passages are to their claims, how similar the best
 * passage is when the answer is not in the corpus (a claim's judged papers left out), and when the question has
 * nothing to do with the corpus; then, per threshold, what would be answered and what lost.
 */
final class RelevanceThresholdReport {

    private final SciFact data;
    private final SciFactRetrievalIT.Runs runs;
    private final SciFactRetrievalIT.ExactDense exact;
    private final CachingEmbedder embedder;
    private final List<String> offTopic;
    private final Map<String, UUID> documentIds = new HashMap<>();
    private final Map<UUID, String> corpusIds;

    RelevanceThresholdReport(SciFact data, SciFactRetrievalIT.Runs runs, SciFactRetrievalIT.ExactDense exact, CachingEmbedder embedder,
            List<String> offTopic, Map<UUID, String> corpusIds) {
        this.data = data;
        this.runs = runs;
        this.exact = exact;
        this.embedder = embedder;
        this.offTopic = offTopic;
        this.corpusIds = corpusIds;
        corpusIds.forEach((uuid, id) -> documentIds.put(id, uuid));
    }

    void print() {
        List<Double> top = new ArrayList<>();
        List<Double> relevant = new ArrayList<>();
        List<Double> withoutAnswer = new ArrayList<>();
        Map<String, Double> topById = new HashMap<>();
        for (Map.Entry<String, Map<String, Integer>> judged : data.qrels().entrySet()) {
            String query = data.queries().get(judged.getKey());
            if (query == null) {
                continue;
            }
            Map<UUID, Double> best = exact.bestPerDocument(embedder.embedQuery(query));
            double topSimilarity = runs.hybrid().get(judged.getKey()).topSimilarity();
            top.add(topSimilarity);
            topById.put(judged.getKey(), topSimilarity);
            judged.getValue().forEach((document, grade) -> {
                if (grade > 0 && documentIds.containsKey(document)) {
                    relevant.add(best.get(documentIds.get(document)));
                }
            });
            withoutAnswer.add(best.entrySet().stream().filter(entry -> judged.getValue().getOrDefault(corpusIds.get(entry.getKey()),
                    0) <= 0)
                    .mapToDouble(Map.Entry::getValue).max().orElse(0));
        }
        List<Double> unrelated = new ArrayList<>();
        Map<String, Double> unrelatedByQuestion = new HashMap<>();
        for (String question : offTopic) {
            double similarity = exact.search(embedder.embedQuery(question), 1).getFirst().score();
            unrelated.add(similarity);
            unrelatedByQuestion.put(question, similarity);
        }
        printf("%ncosine similarity percentiles            p1     p5     p10    p25    p50    p90    max%n");
        percentiles("best chunk of each relevant paper", relevant);
        percentiles("best chunk of the corpus (top hit)", top);
        percentiles("best chunk, claim's papers left out", withoutAnswer);
        percentiles("best chunk for off-topic questions", unrelated);
        printf("%noff-topic questions closest to the corpus:%n");
        unrelatedByQuestion.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(5)
                .forEach(entry -> printf("  %.3f  %s%n", entry.getValue(), entry.getKey()));
        long judgedRelevant = topById.keySet().stream().filter(id -> runs.hybrid().get(id).relevant()).count();
        printf("%nrelevance decision (%s): %.1f%% of %d judged claims found relevant%n", RelevanceSettings.DEFAULT,
                100.0 * judgedRelevant / topById.size(), topById.size());
        printf("%nthreshold  claims answered  relevant papers kept  without-answer refused  off-topic refused  hybrid nDCG@10%n");
        for (double threshold = 0.50; threshold <= 0.801; threshold += 0.025) {
            final double t = threshold;
            printf("%.3f      %5.1f%%           %5.1f%%                %5.1f%%                  %5.1f%%             %.4f%n", t, share(top,
                    t),
                    share(relevant, t), 100 - share(withoutAnswer, t), 100 - share(unrelated, t), ndcgAnswering(topById, t));
        }
    }

    private double ndcgAnswering(Map<String, Double> topById, double threshold) {
        Map<String, List<String>> rankings = new HashMap<>();
        runs.hybrid().forEach((id, retrieval) -> {
            if (topById.getOrDefault(id, 0.0) >= threshold) {
                rankings.put(id, RetrievalEvaluation.documentRanking(retrieval.hits().stream().map(hit -> corpusIds.get(hit.documentId()))
                        .toList()));
            }
        });
        return RetrievalEvaluation.evaluate(rankings, data.qrels()).ndcgAt10();
    }

    private static double share(List<Double> values, double threshold) {
        return 100.0 * values.stream().filter(value -> value >= threshold).count() / values.size();
    }

    private static void percentiles(String name, List<Double> values) {
        List<Double> sorted = values.stream().sorted(Comparator.naturalOrder()).toList();
        StringBuilder line = new StringBuilder(String.format("%-40s", name));
        for (double p : new double[] {0.01, 0.05, 0.10, 0.25, 0.50, 0.90, 1.0}) {
            line.append(String.format(java.util.Locale.ROOT, " %.3f ", sorted.get((int) Math.min(sorted.size() - 1, Math.floor(p * sorted
                    .size())))));
        }
        printf("%s (n=%d)%n", line, values.size());
    }
}
