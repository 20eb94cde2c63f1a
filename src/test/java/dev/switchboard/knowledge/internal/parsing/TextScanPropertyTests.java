package dev.switchboard.knowledge.internal.parsing;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Each text scan does work linear in its input — counted, not timed: the characters the scanners examine stay
 * within a small multiple of the input's length for inputs built to make backtracking patterns quadratic —
 * and the linear scans agree with the regular expressions they replaced.
 */
class TextScanPropertyTests {

    static final long FACTOR = 10;

    ExtractionBudget budget() {
        return new ExtractionBudget(Long.MAX_VALUE, Deadline.none());
    }

    @Property(tries = 40)
    void markdownTableLinesAreLinear(@ForAll @IntRange(min = 1, max = 300_000) int run, @ForAll("fillers") String filler,
            @ForAll("tails") String tail) {
        String markdown = "|" + filler.repeat(run) + tail + "\n";
        ExtractionBudget budget = budget();
        TextFormats.markdown(markdown, budget);
        assertThat(budget.work()).isLessThanOrEqualTo(FACTOR * markdown.length());
    }

    @Property(tries = 40)
    void plainTextAndCsvAreLinear(@ForAll @IntRange(min = 1, max = 200_000) int run, @ForAll("fillers") String filler) {
        String text = ("\n" + filler.repeat(run) + "x").repeat(3);
        ExtractionBudget plain = budget();
        TextFormats.plainText(text, plain);
        assertThat(plain.work()).isLessThanOrEqualTo(FACTOR * text.length());
        ExtractionBudget csv = budget();
        TextFormats.csv("a,b\n" + text, csv);
        assertThat(csv.work()).isLessThanOrEqualTo(FACTOR * (text.length() + 4));
    }

    @Property(tries = 500)
    void separatorScanAgreesWithTheOldRegex(@ForAll("tableLines") String line) {
        assertThat(TextFormats.isTableSeparator(line, budget())).isEqualTo(line.matches("^\\s*\\|[\\s:|-]+\\|?\\s*$"));
    }

    @Property(tries = 500)
    void rowScanAgreesWithTheOldRegex(@ForAll("tableLines") String line) {
        String old = line.strip().replaceAll("^\\||\\|$", "").strip().replaceAll("\\s*\\|\\s*", " | ");
        assertThat(TextFormats.tableRow(line, budget())).isEqualTo(old.strip());
    }

    @Property(tries = 300)
    void headingScanAgreesWithTheOldRegex(@ForAll("headingLines") String line) {
        assertThat(TextFormats.headingLevel(line) > 0).isEqualTo(line.matches("^#{1,6} .*"));
    }

    @Provide
    Arbitrary<String> fillers() {
        return Arbitraries.of(" ", "\t", " |", "-", ": ", "  x", ",", "\" ");
    }

    @Provide
    Arbitrary<String> tails() {
        return Arbitraries.of("", "x", "|", " | x", "\u00A0");
    }

    @Provide
    Arbitrary<String> tableLines() {
        return Arbitraries.strings().withChars(' ', '\t', '|', ':', '-', 'a', 'b').ofMaxLength(20).map(s -> "|" + s);
    }

    @Provide
    Arbitrary<String> headingLines() {
        return Arbitraries.strings().withChars('#', ' ', 'a').ofMaxLength(12);
    }
}
