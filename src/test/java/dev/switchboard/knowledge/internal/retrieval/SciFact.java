package dev.switchboard.knowledge.internal.retrieval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The SciFact corpus, training queries and judgments, in BEIR's format. */
record SciFact(List<Abstract> corpus, Map<String, String> queries, Map<String, Map<String, Integer>> qrels) {

    /** One corpus entry: a paper's title and abstract. */
    record Abstract(String id, String title, String text) {
    }

    /**
     * The same queries and judgments over part of the corpus: every abstract a query is judged against, and as many of
     * the others as make {@code size} in all, chosen by a fixed hash of their ids (the same ones on every run and
     * machine). All of it when {@code size} is the corpus's size or more.
     */
    SciFact sample(int size) {
        if (size >= corpus.size()) {
            return this;
        }
        Set<String> judged = new HashSet<>();
        qrels.values().forEach(judgments -> judged.addAll(judgments.keySet()));
        List<Abstract> others = corpus.stream().filter(paper -> !judged.contains(paper.id()))
                .sorted(Comparator.comparing(paper -> UUID.nameUUIDFromBytes(paper.id().getBytes(StandardCharsets.UTF_8))))
                .limit(Math.max(0, size - judged.size())).toList();
        Set<String> kept = new HashSet<>(judged);
        others.forEach(paper -> kept.add(paper.id()));
        return new SciFact(corpus.stream().filter(paper -> kept.contains(paper.id())).toList(), queries, qrels);
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
