package dev.switchboard.knowledge.internal.parsing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files built to exhaust ingestion: each stops early with a clear reason, having produced no more than the
 * limit's worth of text (memory stays bounded), and a parse past its deadline stops with the time reason.
 */
class HostileDocumentTests {

    static final long LIMIT = 2_000_000;

    @TempDir
    Path directory;

    final DocumentParser parser = new DocumentParser(LIMIT);

    ExtractionBudget parseWithin(byte[] content, String type, ExtractionBudget budget) throws IOException {
        Path file = Files.write(directory.resolve("hostile-" + System.nanoTime()), content);
        assertThatThrownBy(() -> parser.parse(file, type, budget)).isInstanceOf(ExtractionBudget.Exceeded.class)
                .hasMessageContaining("expands to more than " + LIMIT + " characters");
        return budget;
    }

    @Test
    void jsonBombStopsAtTheLimitWithoutExpanding() throws IOException {
        Path file = Files.write(directory.resolve("bomb.json"), HostileDocuments.jsonBomb());
        assertThat(DocumentTypes.detect(file, "bomb.json")).hasValue(DocumentTypes.JSON);
        assertThatThrownBy(() -> parser.parse(file, DocumentTypes.JSON)).isInstanceOf(UnreadableDocument.class)
                .hasMessageContaining("max-extracted-characters");
        ExtractionBudget budget = parseWithin(HostileDocuments.jsonBomb(), DocumentTypes.JSON, new ExtractionBudget(LIMIT, Deadline
                .none()));
        // The line that crossed the limit was counted, not written: what exists is at most the limit.
        assertThat(budget.characters()).isLessThan(LIMIT + 40_100);
    }

    @Test
    void csvHeaderBombStopsAtTheLimit() throws IOException {
        Path file = Files.write(directory.resolve("bomb.csv"), HostileDocuments.csvHeaderBomb());
        assertThat(DocumentTypes.detect(file, "bomb.csv")).hasValue(DocumentTypes.CSV);
        ExtractionBudget budget = parseWithin(HostileDocuments.csvHeaderBomb(), DocumentTypes.CSV, new ExtractionBudget(LIMIT, Deadline
                .none()));
        assertThat(budget.characters()).isLessThan(LIMIT + 100);
    }

    @Test
    void markdownOfSpacesAfterAPipeIsReadInOnePass() throws Exception {
        String spaces = "| " + " ".repeat(2_000_000) + "x\n";
        ExtractionBudget budget = new ExtractionBudget(10_000_000, Deadline.none());
        Path file = Files.writeString(directory.resolve("spaces.md"), spaces);
        ParsedDocument document = new DocumentParser(10_000_000).parse(file, DocumentTypes.MARKDOWN, budget);
        assertThat(document.blocks()).singleElement().satisfies(block -> assertThat(block.text()).isEqualTo("x"));
        assertThat(budget.work()).isLessThan(10L * spaces.length());
    }

    @Test
    void aParsePastItsDeadlineStopsWithTheTimeReason() throws IOException {
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
        Clock clock = new Clock() {
            @Override
            public Instant instant() {
                return now.get();
            }

            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }
        };
        Deadline deadline = Deadline.after(clock, Duration.ofMinutes(10));
        now.set(now.get().plus(Duration.ofMinutes(11)));
        Path file = Files.writeString(directory.resolve("notes.txt"), "Some words.\n\nMore words.");
        assertThatThrownBy(() -> parser.parse(file, DocumentTypes.TEXT, deadline)).isInstanceOf(UnreadableDocument.class)
                .hasMessageContaining("time budget of 10m").hasMessageContaining("switchboard.knowledge.job-timeout");
    }

    @Test
    void tikaFormatsAreBoundedByTheSameBudget() throws IOException {
        String html = "<html><body>" + "<p>A paragraph of ordinary prose that goes on for a while.</p>".repeat(60_000) + "</body></html>";
        ExtractionBudget budget = new ExtractionBudget(LIMIT, Deadline.none());
        Path file = Files.writeString(directory.resolve("long.html"), html);
        assertThatThrownBy(() -> parser.parse(file, DocumentTypes.HTML, budget)).isInstanceOf(UnreadableDocument.class)
                .hasMessageContaining("expands to more than " + LIMIT + " characters");
        assertThat(budget.characters()).as("stopped at the limit, not after the whole file").isLessThan(LIMIT + 10_000);
    }

    @Test
    void everyTextFormatIsBoundedWhileExtracted() throws IOException {
        byte[] lines = ("A line of ordinary prose that goes on for a while.\n".repeat(100_000)).getBytes(StandardCharsets.UTF_8);
        DocumentParser small = new DocumentParser(100_000);
        for (String type : new String[] {DocumentTypes.MARKDOWN, DocumentTypes.TEXT}) {
            Path file = Files.write(directory.resolve("long-" + type.replace('/', '-')), lines);
            assertThatThrownBy(() -> small.parse(file, type)).isInstanceOf(UnreadableDocument.class)
                    .hasMessageContaining("expands to more than 100000 characters");
        }
    }
}
