package dev.switchboard.knowledge.internal.retrieval;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Retrieval quality as BEIR and TREC measure it, so our figures compare with published ones: nDCG@10 (linear
 * gain, trec_eval's convention; the same as exponential gain for binary judgments) and Recall@100, averaged over
 * the judged queries (a judged query without results counts as 0). Documents are judged, not chunks: a ranking of
 * chunks becomes a ranking of documents by each document's best chunk ({@link #documentRanking}). Pure functions.
 */
public final class RetrievalEvaluation {

    /** The averages over a query set. */
    public record Summary(double ndcgAt10, double recallAt100, int queries) {
    }

    private RetrievalEvaluation() {
    }

    /**
     * BEIR qrels: tab-separated {@code query-id, corpus-id, score} lines, the first a header. Returns
     * query id → document id → graded relevance (judgments of 0 are kept but count as not relevant).
     */
    public static Map<String, Map<String, Integer>> parseQrels(List<String> lines) {
        Map<String, Map<String, Integer>> qrels = new HashMap<>();
        for (String line : lines) {
            String[] fields = line.strip().split("\t");
            if (line.isBlank() || fields[0].equals("query-id")) {
                continue;
            }
            if (fields.length != 3) {
                throw new IllegalArgumentException("A qrels line needs query-id, corpus-id and score: " + line);
            }
            qrels.computeIfAbsent(fields[0], query -> new HashMap<>()).put(fields[1], Integer.parseInt(fields[2]));
        }
        return qrels;
    }

    /** The documents of a chunk ranking in the order of their best chunk (each document once). */
    public static List<String> documentRanking(List<String> documentIdOfEachChunk) {
        return new ArrayList<>(new LinkedHashSet<>(documentIdOfEachChunk));
    }

    /** nDCG@k of one ranking of distinct documents against one query's judgments. */
    public static double ndcg(List<String> ranking, Map<String, Integer> judgments, int k) {
        double dcg = 0;
        for (int rank = 0; rank < Math.min(k, ranking.size()); rank++) {
            dcg += gain(judgments.getOrDefault(ranking.get(rank), 0), rank);
        }
        List<Integer> ideal = judgments.values().stream().filter(grade -> grade > 0).sorted((a, b) -> b - a).toList();
        double idealDcg = 0;
        for (int rank = 0; rank < Math.min(k, ideal.size()); rank++) {
            idealDcg += gain(ideal.get(rank), rank);
        }
        return idealDcg == 0 ? 0 : dcg / idealDcg;
    }

    /** The share of the query's relevant documents found in the first k of the ranking. */
    public static double recall(List<String> ranking, Map<String, Integer> judgments, int k) {
        long relevant = judgments.values().stream().filter(grade -> grade > 0).count();
        if (relevant == 0) {
            return 0;
        }
        long found = ranking.stream().limit(k).filter(document -> judgments.getOrDefault(document, 0) > 0).count();
        return (double) found / relevant;
    }

    /**
     * nDCG@10 and Recall@100 averaged over the queries that have at least one relevant judgment.
     *
     * @param rankings query id → distinct document ids, best first
     */
    public static Summary evaluate(Map<String, List<String>> rankings, Map<String, Map<String, Integer>> qrels) {
        double ndcg = 0;
        double recall = 0;
        int queries = 0;
        for (Map.Entry<String, Map<String, Integer>> query : qrels.entrySet()) {
            if (query.getValue().values().stream().noneMatch(grade -> grade > 0)) {
                continue;
            }
            List<String> ranking = rankings.getOrDefault(query.getKey(), List.of());
            ndcg += ndcg(ranking, query.getValue(), 10);
            recall += recall(ranking, query.getValue(), 100);
            queries++;
        }
        return queries == 0 ? new Summary(0, 0, 0) : new Summary(ndcg / queries, recall / queries, queries);
    }

    private static double gain(int grade, int zeroBasedRank) {
        return grade <= 0 ? 0 : grade / (Math.log(zeroBasedRank + 2) / Math.log(2));
    }
}
