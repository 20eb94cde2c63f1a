package dev.switchboard.llm.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.switchboard.llm.Citation;
import dev.switchboard.llm.Passage;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class LocalExtractiveResponderTests {

    final LocalExtractiveResponder responder = new LocalExtractiveResponder();

    final List<Passage> passages = List.of(
            new Passage("c1", "handbook.pdf, p. 3", "Refunds are paid within 14 days. The office opens at nine."),
            new Passage("c2", "faq.md, Returns", "Returned items must be unused. Refunds go to the original card."));

    @Test
    void quotesTheBestMatchingSentencesWithCitations() {
        LocalExtractiveResponder.Answer answer = responder.answer("How are refunds paid?", passages);
        assertThat(answer.content()).startsWith(LocalExtractiveResponder.NOTICE)
                .contains("\u201cRefunds are paid within 14 days.\u201d [1]")
                .contains("\u201cRefunds go to the original card.\u201d [2]")
                .doesNotContain("office");
        assertThat(answer.citations()).extracting(Citation::passageId).containsExactly("c1", "c2");
        assertThat(answer.citations().get(0).source()).isEqualTo("handbook.pdf, p. 3");
    }

    @Test
    void withoutPassagesItSaysItCannotAnswerAndHowToConfigureAProvider() {
        LocalExtractiveResponder.Answer answer = responder.answer("How are refunds paid?", List.of());
        assertThat(answer.content()).contains("cannot answer").contains("switchboard.llm.providers");
        assertThat(answer.citations()).isEmpty();
    }

    @Test
    void withoutAMatchItSaysSo() {
        LocalExtractiveResponder.Answer answer = responder.answer("What is the capital of Peru?", passages);
        assertThat(answer.content()).isEqualTo(LocalExtractiveResponder.NO_MATCH);
        assertThat(answer.citations()).isEmpty();
    }

    @Test
    void aSentenceWrappedOverTwoLinesIsQuotedWhole() {
        String text = "The maintenance lead, Dana Okafor, oversees the plant and approves every\n"
                + "work order above 500 euros. Technicians report to her.";
        LocalExtractiveResponder.Answer answer = responder.answer("Who approves work orders above 500 euros?",
                List.of(new Passage("m", "manual.md", text)));

        assertThat(answer.citations()).first().extracting(Citation::quote).isEqualTo(
                "The maintenance lead, Dana Okafor, oversees the plant and approves every\nwork order above 500 euros.");
    }

    @Test
    void headingsListItemsAndTableRowsEndASentenceWhereParagraphLinesDoNot() {
        String text = "# Refunds\nPaid within 14 days\n- to the original card\n- never in cash\n\nAsk the\nfront desk\n"
                + "| day | hours |\n| Monday | 9-17 |\n1. First step\n> A quote";

        assertThat(LocalExtractiveResponder.sentences(text)).containsExactly("# Refunds", "Paid within 14 days",
                "- to the original card", "- never in cash", "Ask the\nfront desk", "| day | hours |", "| Monday | 9-17 |",
                "1.", "First step", "> A quote");
    }

    /** Whatever the question and passages, every quote is verbatim text of the passage it cites. */
    @Property(tries = 300)
    void neverInventsText(@ForAll("prose") String question, @ForAll("prose") String first, @ForAll("prose") String second) {
        List<Passage> given = List.of(new Passage("a", "A", first), new Passage("b", "B", second));
        LocalExtractiveResponder.Answer answer = responder.answer(question, given);
        assertThat(answer.citations()).hasSizeLessThanOrEqualTo(LocalExtractiveResponder.MAX_QUOTES)
                .allSatisfy(citation -> assertThat(given.stream().filter(p -> p.id().equals(citation.passageId()))
                        .findFirst().orElseThrow().text()).contains(citation.quote()));
        String withoutQuotes = answer.content();
        for (Citation citation : answer.citations()) {
            withoutQuotes = withoutQuotes.replace("\u201c" + citation.quote() + "\u201d [" + citation.marker() + "]", "");
        }
        assertThat(withoutQuotes.strip()).isIn(LocalExtractiveResponder.NOTICE, LocalExtractiveResponder.NO_MATCH,
                LocalExtractiveResponder.NOTHING_TO_QUOTE);
    }

    @Provide
    Arbitrary<String> prose() {
        Arbitrary<String> word = Arbitraries.of("refund", "paid", "days", "office", "card", "returned", "items", "the",
                "within", "open", "nine", "policy", "capital", "France", "Paris", "14");
        Arbitrary<String> sentence = word.list().ofMinSize(1).ofMaxSize(8).map(words -> String.join(" ", words) + ".");
        return sentence.list().ofMinSize(0).ofMaxSize(4).map(sentences -> String.join(" ", sentences));
    }
}
