package dev.switchboard.knowledge.internal.retrieval;

import static dev.switchboard.knowledge.internal.retrieval.SciFactRetrievalIT.printf;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.switchboard.knowledge.internal.KnowledgeProperties;
import dev.switchboard.knowledge.internal.embedding.BgeSmallEmbedder;
import dev.switchboard.knowledge.internal.embedding.EmbeddingSentenceSimilarity;
import dev.switchboard.llm.Passage;
import dev.switchboard.llm.internal.LocalExtractiveResponder;

/**
 * Answer quality on the committed calibration set ({@code src/test/resources/answer-quality}) with the relevance
 * decision as {@code application.yml} configures it: per question style, how often the passage that answers the
 * question reaches the model (the search is judged relevant and the passage is among the {@code passages} hits a
 * turn hands over), and how often an unanswerable question gets "found nothing". Prints the figures recorded in
 * {@code bench/RESULTS.md}.
 * <p>
 * The real bge-small model embeds everything, its vectors cached on disk by model and SHA-256 of the text
 * ({@code ~/.cache/switchboard/answer-quality}, or {@code -Danswer-quality.cache}) as the SciFact evaluation caches
 * them: a first run embeds about ten thousand texts (questions, chunks and the sentences the extractive answers
 * compare), later runs only what changed.
 */
class AnswerQualityTests {

    /** Hits a turn hands to the model ({@code switchboard.chat.passages}' default). */
    static final int PASSAGES = 5;

    /** The fixed cosine cut-off the relevance decision replaced: the baseline printed beside it. */
    static final double FORMER_CUT_OFF = 0.55;

    private static final Path CACHE = Path.of(System.getProperty("answer-quality.cache", System.getProperty("user.home")
            + "/.cache/switchboard/answer-quality"), "vectors-" + BgeSmallEmbedder.MODEL_ID + ".bin");

    @TempDir
    static Path directory;

    static AnswerQualitySet set;
    static BgeSmallEmbedder model;
    static CachingEmbedder embedder;
    static AnswerQualityBench bench;
    static KnowledgeProperties configured;

    static LocalExtractiveResponder extractive;

    @BeforeAll
    static void ingest() throws IOException {
        set = AnswerQualitySet.load();
        model = new BgeSmallEmbedder(2);
        embedder = new CachingEmbedder(model, new VectorCache(CACHE), true);
        configured = ConfiguredKnowledge.properties();
        bench = new AnswerQualityBench(set, embedder, configured.relevance(), directory.resolve("index"));
        extractive = new LocalExtractiveResponder(new EmbeddingSentenceSimilarity(embedder));
    }

    @AfterAll
    static void close() throws IOException {
        bench.close();
        model.close();
    }

    @Test
    void theConfiguredDecisionHandsTheAnsweringPassageToTheModelAndTurnsAwayUnanswerableQuestions() {
        Rates rates = measure(searched -> searched.retrieval().relevant());
        printf("%nanswer-quality set, %d chunks in %d knowledge bases, %d passages per turn, %s%n", bench.chunks(), set.collections()
                .size(),
                PASSAGES, configured.relevance());
        rates.print();
        printf("%nthe former fixed cosine cut-off 0.55 on the same searches:%n");
        measure(searched -> !searched.retrieval().hits().isEmpty() && searched.retrieval().topSimilarity() >= FORMER_CUT_OFF).print();

        rates.reached().forEach((style, rate) -> assertThat(rate).as("answering passage reaches the model, " + style)
                .isGreaterThanOrEqualTo(95.0 - oneQuestion(set.answerable().stream().filter(q -> q.style().equals(style)).count())));
        assertThat(rates.refused().get("all")).as("unanswerable questions that get \"found nothing\"")
                .isGreaterThanOrEqualTo(80.0 - oneQuestion(set.unanswerable().size()));
    }

    @Test
    void aPersonaOverAOnePageManualFindsThePlainAnswerAndNothingForAnUnrelatedQuestion() throws IOException {
        Path page = directory.resolve("one-page/maintenance.txt");
        Files.createDirectories(page.getParent());
        String manual = set.documents().stream().filter(document -> document.path().equals("harbor-valley/maintenance-manual.md"))
                .findFirst()
                .orElseThrow().text().replaceAll("(?m)^#+ .*$", "");
        Files.writeString(page, manual);
        AnswerQualitySet onePage = new AnswerQualitySet(directory, List.of(new AnswerQualitySet.Document("one-page",
                "one-page/maintenance.txt",
                page, manual)), List.of(), List.of());
        try (AnswerQualityBench single = new AnswerQualityBench(onePage, embedder, configured.relevance(), directory.resolve(
                "one-page-index"))) {
            AnswerQualityBench.Searched answerable = single.search("one-page", "Who supervises maintenance?", PASSAGES);
            AnswerQualityBench.Searched unrelated = single.search("one-page", "What is the capital of Australia?", PASSAGES);

            assertThat(single.chunks()).as("the whole page is one chunk").isEqualTo(1);
            assertThat(answerable.contains("Dana Okafor, supervises all maintenance work")).isTrue();
            assertThat(answerable.retrieval().relevant()).as("relevant: %s", answerable.retrieval().relevance()).isTrue();
            assertThat(unrelated.retrieval().relevant()).as("relevant: %s", unrelated.retrieval().relevance()).isFalse();
        }
    }

    @Test
    void theExtractiveAnswerQuotesTheSentenceThatSaysWhoSignsExpenseClaimsNotTheOnesRepeatingTheWords() {
        AnswerQualitySet.Document policy = set.documents().stream().filter(document -> document.path().equals(
                "copperleaf/expense-policy.md"))
                .findFirst().orElseThrow();
        String section = policy.text().substring(policy.text().indexOf("Expense claims are submitted"), policy.text().indexOf("## Travel"))
                .strip();
        List<Passage> passages = List.of(new Passage("expenses", "expense-policy.md, Submitting expense claims", section));
        String answer = "Every expense claim must be signed off by the employee's line manager before finance pays it.";

        assertThat(extractive.answer("Who signs expense claims?", passages).citations())
                .as("by meaning and words").extracting(citation -> citation.quote()).contains(answer);
    }

    @Test
    void theShippedSettingsAreTheDocumentedDefaults() {
        assertThat(configured.relevance()).isEqualTo(RelevanceSettings.DEFAULT);
    }

    /** Percentages per style, and for unanswerable questions per kind. */
    record Rates(Map<String, Double> reached, Map<String, Double> ranked, Map<String, Double> quoted, Map<String, Double> refused) {

        void print() {
            printf("%-10s  passage reaches the model  passage in the top %d (no decision)  extractive answer quotes it%n", "style",
                    PASSAGES);
            reached.forEach((style, rate) -> printf("%-10s  %5.1f%%                     %5.1f%%                              %5.1f%%%n",
                    style, rate,
                    ranked.get(style), quoted.get(style)));
            printf("unanswerable, \"found nothing\":%n");
            refused.forEach((kind, rate) -> printf("  %-18s %5.1f%%%n", kind, rate));
        }
    }

    /**
     * The targets (issue 13: 95 % of each style's answering passages reach the model, 80 % of the unanswerable questions
     * get "found nothing") are checked less one question. The quantized model's vectors depend on the CPU: ONNX Runtime
     * runs its int8 products with AVX-512 VNNI where the CPU has it and with AVX2 alone elsewhere, whose arithmetic rounds
     * differently. The defaults were calibrated on a VNNI machine (short questions 113 of 118, unanswerable 120 of 150:
     * both targets met); on an AVX2-only machine one question of each moves across the threshold (112 of 118, 119 of
     * 150). A change to the decision that costs more than that fails here on either kind of CPU.
     */
    static double oneQuestion(long questions) {
        return 100.0 / questions;
    }

    static Rates measure(Predicate<AnswerQualityBench.Searched> decision) {
        Map<String, Double> reached = new LinkedHashMap<>();
        Map<String, Double> ranked = new LinkedHashMap<>();
        Map<String, Double> quoted = new LinkedHashMap<>();
        for (String style : AnswerQualitySet.STYLES) {
            List<AnswerQualitySet.Answerable> questions = set.answerable().stream().filter(question -> question.style().equals(style))
                    .toList();
            int inTop = 0;
            int toModel = 0;
            int quotes = 0;
            for (AnswerQualitySet.Answerable question : questions) {
                AnswerQualityBench.Searched searched = bench.search(question.collection(), question.question(), PASSAGES);
                if (searched.contains(question.passage())) {
                    inTop++;
                    if (decision.test(searched)) {
                        toModel++;
                        if (quotesPassage(question, searched)) {
                            quotes++;
                        }
                    }
                }
            }
            reached.put(style, 100.0 * toModel / questions.size());
            ranked.put(style, 100.0 * inTop / questions.size());
            quoted.put(style, 100.0 * quotes / questions.size());
        }
        Map<String, Double> refused = new LinkedHashMap<>();
        int refusedAll = 0;
        for (String kind : List.of("not-in-documents", "off-topic")) {
            List<AnswerQualitySet.Unanswerable> questions = set.unanswerable().stream().filter(question -> question.kind().equals(kind))
                    .toList();
            long count = questions.stream().filter(question -> !decision.test(bench.search(question.collection(), question.question(),
                    PASSAGES))).count();
            refusedAll += (int) count;
            refused.put(kind, 100.0 * count / questions.size());
        }
        refused.put("all", 100.0 * refusedAll / set.unanswerable().size());
        return new Rates(reached, ranked, quoted, refused);
    }

    /** Whether the local extractive responder, given the hits as a turn gives them, quotes the answering passage. */
    static boolean quotesPassage(AnswerQualitySet.Answerable question, AnswerQualityBench.Searched searched) {
        List<Passage> passages = searched.retrieval().hits().stream()
                .map(hit -> new Passage(hit.chunkId().toString(), hit.documentName(), hit.text())).toList();
        String passage = AnswerQualitySet.folded(question.passage());
        return extractive.answer(question.question(), passages).citations().stream()
                .map(citation -> AnswerQualitySet.folded(citation.quote()))
                .anyMatch(quote -> passage.contains(quote) || quote.contains(passage));
    }
}
