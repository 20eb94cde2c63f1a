package dev.switchboard.knowledge.internal.retrieval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/** The calibration set is what its README says: sizes per style, and every passage an exact span of its document. */
class AnswerQualitySetTests {

    private final AnswerQualitySet set = AnswerQualitySet.load();

    @Test
    void hasAtLeastAHundredAnswerableQuestionsPerStyleAndAHundredAndFiftyUnanswerable() {
        Map<String, Long> perStyle = set.answerable().stream().collect(Collectors.groupingBy(AnswerQualitySet.Answerable::style, Collectors
                .counting()));
        assertThat(perStyle.keySet()).containsExactlyInAnyOrderElementsOf(AnswerQualitySet.STYLES);
        assertThat(perStyle.values()).allSatisfy(count -> assertThat(count).isGreaterThanOrEqualTo(100));
        assertThat(set.unanswerable()).hasSizeGreaterThanOrEqualTo(150);
        assertThat(set.unanswerable()).extracting(AnswerQualitySet.Unanswerable::kind).containsOnly("not-in-documents", "off-topic");
        assertThat(set.documents()).hasSizeGreaterThanOrEqualTo(30);
    }

    @Test
    void everyPassageOccursExactlyOnceInItsDocument() {
        Map<String, String> texts = set.documents().stream()
                .collect(Collectors.toMap(AnswerQualitySet.Document::path, document -> AnswerQualitySet.folded(document.text())));
        assertThat(set.answerable()).allSatisfy(question -> {
            String text = texts.get(question.document());
            assertThat(text).as(question.id() + " names a document of the set").isNotNull();
            String passage = AnswerQualitySet.folded(question.passage());
            assertThat(text.indexOf(passage)).as(question.id() + " passage in " + question.document()).isNotNegative()
                    .isEqualTo(text.lastIndexOf(passage));
            assertThat(question.document()).startsWith(question.collection() + "/");
        });
    }

    @Test
    void idsAndQuestionsAreUniqueAndEveryQuestionIsAskedOfAKnownCollection() {
        List<String> ids = set.answerable().stream().map(AnswerQualitySet.Answerable::id).toList();
        assertThat(new HashSet<>(ids)).hasSize(ids.size());
        Set<String> questions = new HashSet<>();
        set.answerable().forEach(question -> assertThat(questions.add(question.question())).as(question.question()).isTrue());
        set.unanswerable().forEach(question -> assertThat(questions.add(question.question())).as(question.question()).isTrue());
        Set<String> collections = Set.copyOf(set.collections());
        assertThat(set.unanswerable()).extracting(AnswerQualitySet.Unanswerable::collection).allMatch(collections::contains);
        assertThat(set.answerable().stream().collect(Collectors.groupingBy(AnswerQualitySet.Answerable::collection, Collectors.counting())))
                .containsOnlyKeys(collections);
        assertThat(set.documents().stream().map(AnswerQualitySet.Document::path).collect(Collectors.toMap(Function.identity(), path -> 1)))
                .hasSize(set.documents().size());
    }
}
