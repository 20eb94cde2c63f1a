package dev.switchboard.knowledge.internal.retrieval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The SciFact corpus, training queries and judgments, in BEIR's format. */
record SciFact(List<Abstract> corpus, Map<String, String> queries, Map<String, Map<String, Integer>> qrels) {

    /** One corpus entry: a paper's title and abstract. */
    record Abstract(String id, String title, String text) {
    }

    static SciFact load(Path directory) throws IOException {
        JsonMapper json = JsonMapper.builder().build();
        List<Abstract> corpus = new ArrayList<>();
        for (String line : Files.readAllLines(directory.resolve("corpus.jsonl"))) {
            JsonNode entry = json.readTree(line);
            corpus.add(new Abstract(entry.get("_id").asString(), entry.get("title").asString(), entry.get("text").asString()));
        }
        Map<String, String> queries = new LinkedHashMap<>();
        for (String line : Files.readAllLines(directory.resolve("queries-train.jsonl"))) {
            JsonNode entry = json.readTree(line);
            queries.put(entry.get("_id").asString(), entry.get("text").asString());
        }
        Map<String, Map<String, Integer>> qrels = RetrievalEvaluation.parseQrels(Files.readAllLines(directory.resolve("qrels-train.tsv")));
        return new SciFact(corpus, queries, qrels);
    }
}
