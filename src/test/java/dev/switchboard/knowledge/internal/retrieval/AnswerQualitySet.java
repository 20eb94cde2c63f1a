package dev.switchboard.knowledge.internal.retrieval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The answer-quality calibration set ({@code src/test/resources/answer-quality}, see its README): the documents of
 * four organisations, answerable questions in three styles with the passage that answers each, and unanswerable ones.
 */
record AnswerQualitySet(Path root, List<Document> documents, List<Answerable> answerable, List<Unanswerable> unanswerable) {

    /** Question styles, each at least a hundred answerable questions. */
    static final List<String> STYLES = List.of("question", "keywords", "statement");

    /** A document of an organisation ({@code collection}): {@code path} relative to {@code documents/}. */
    record Document(String collection, String path, Path file, String text) {
    }

    /** A question with the exact passage of {@code document} that answers it. */
    record Answerable(String id, String style, String collection, String document, String passage, String question) {
    }

    /** A question the organisation's documents do not answer ({@code kind}: not-in-documents or off-topic). */
    record Unanswerable(String id, String kind, String style, String collection, String question) {
    }

    static AnswerQualitySet load() {
        try {
            Path root = Path.of(Objects.requireNonNull(AnswerQualitySet.class.getResource("/answer-quality/README.md"),
                    "answer-quality set missing from the test resources").toURI()).getParent();
            JsonMapper json = JsonMapper.builder().build();
            List<Document> documents = new ArrayList<>();
            Path base = root.resolve("documents");
            try (Stream<Path> files = Files.walk(base)) {
                for (Path file : files.filter(path -> path.toString().endsWith(".md")).sorted().toList()) {
                    String relative = base.relativize(file).toString().replace('\\', '/');
                    documents.add(new Document(relative.substring(0, relative.indexOf('/')), relative, file,
                            Files.readString(file, StandardCharsets.UTF_8)));
                }
            }
            List<Answerable> answerable = new ArrayList<>();
            for (JsonNode entry : lines(json, root.resolve("answerable.jsonl"))) {
                answerable.add(new Answerable(text(entry, "id"), text(entry, "style"), text(entry, "collection"), text(entry, "document"),
                        text(entry, "passage"), text(entry, "question")));
            }
            List<Unanswerable> unanswerable = new ArrayList<>();
            for (JsonNode entry : lines(json, root.resolve("unanswerable.jsonl"))) {
                unanswerable.add(new Unanswerable(text(entry, "id"), text(entry, "kind"), text(entry, "style"), text(entry, "collection"),
                        text(entry, "question")));
            }
            return new AnswerQualitySet(root, documents, answerable, unanswerable);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        catch (URISyntaxException ex) {
            throw new IllegalStateException(ex);
        }
    }

    List<String> collections() {
        return documents.stream().map(Document::collection).distinct().toList();
    }

    /** Whitespace folded to single spaces, so a passage matches a chunk whatever line breaks chunking left. */
    static String folded(String text) {
        return text.replaceAll("\\s+", " ").trim();
    }

    private static List<JsonNode> lines(JsonMapper json, Path file) throws IOException {
        List<JsonNode> entries = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                entries.add(json.readTree(line));
            }
        }
        return entries;
    }

    private static String text(JsonNode entry, String field) {
        JsonNode value = entry.get(field);
        if (value == null || value.asString().isBlank()) {
            throw new IllegalArgumentException("answer-quality entry without " + field + ": " + entry);
        }
        return value.asString();
    }
}
