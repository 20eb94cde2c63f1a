package dev.switchboard.knowledge.internal.chunking;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import dev.switchboard.knowledge.internal.parsing.ParsedDocument;
import dev.switchboard.knowledge.internal.parsing.ParsedDocument.Block;
import dev.switchboard.knowledge.internal.parsing.ParsedDocument.Kind;

/** Chunks follow the document's structure (token counts here are word counts, to make sizes easy to reason about). */
class ChunkerTests {

    static final TokenCounter WORDS = text -> text.isBlank() ? 0 : text.strip().split("\\s+").length;

    final Chunker chunker = new Chunker(new ChunkingPolicy(60, 12, true), WORDS);

    static Block heading(int level, String text) {
        return new Block(Kind.HEADING, level, 0, text);
    }

    static Block paragraph(String text) {
        return new Block(Kind.PARAGRAPH, 0, 0, text);
    }

    static Block paragraph(int page, String text) {
        return new Block(Kind.PARAGRAPH, 0, page, text);
    }

    /** n sentences of 8 words each, numbered so that each is recognisable. */
    static String sentences(String prefix, int n) {
        return IntStream.rangeClosed(1, n).mapToObj(i -> prefix + " sentence number " + i + " has exactly eight words.")
                .collect(Collectors.joining(" "));
    }

    static String body(Chunk chunk) {
        int start = chunk.text().indexOf("\n\n");
        return start < 0 ? chunk.text() : chunk.text().substring(start + 2);
    }

    @Test
    void headingsBecomeTheLocationAndTheContextLine() {
        List<Chunk> chunks = chunker.chunk(new ParsedDocument("Admin Guide", List.of(heading(1, "Installation"), paragraph(
                "Download the package."),
                heading(2, "Linux"), paragraph("Run the installer as root."), heading(2, "Windows"), paragraph("Double-click setup.exe."),
                heading(1, "Upgrades"), paragraph("Stop the service first."))));

        assertThat(chunks).extracting(Chunk::location).containsExactly("Installation", "Installation > Linux", "Installation > Windows",
                "Upgrades");
        assertThat(chunks.get(1).text()).isEqualTo("Admin Guide > Installation > Linux\n\nRun the installer as root.");
        assertThat(chunks).extracting(Chunk::ordinal).containsExactly(0, 1, 2, 3);
    }

    @Test
    void aTitleRepeatedAsFirstHeadingIsNotRepeatedInTheContextLine() {
        List<Chunk> chunks = chunker.chunk(new ParsedDocument("Admin Guide", List.of(heading(1, "Admin Guide"), paragraph("Welcome."))));
        assertThat(chunks.getFirst().text()).isEqualTo("Admin Guide\n\nWelcome.");
        assertThat(chunks.getFirst().location()).isEqualTo("Admin Guide");
    }

    @Test
    void withoutContextLineTheTextIsTheContentOnly() {
        Chunker plain = new Chunker(new ChunkingPolicy(60, 12, false), WORDS);
        List<Chunk> chunks = plain.chunk(new ParsedDocument("Guide", List.of(heading(1, "Setup"), paragraph("Install it."))));
        assertThat(chunks).singleElement().satisfies(chunk -> {
            assertThat(chunk.text()).isEqualTo("Install it.");
            assertThat(chunk.location()).isEqualTo("Setup");
        });
    }

    @Test
    void pagesAreTheLocationWhenThereAreNoHeadingsAndJoinTheHeadingPathOtherwise() {
        List<Chunk> paged = chunker.chunk(new ParsedDocument("", List.of(paragraph(3, "On page three."), paragraph(4, "On page four."))));
        assertThat(paged).singleElement().extracting(Chunk::location).isEqualTo("pages 3-4");

        List<Chunk> both = chunker.chunk(new ParsedDocument("", List.of(new Block(Kind.HEADING, 1, 2, "Results"), paragraph(2,
                "Revenue grew."))));
        assertThat(both).singleElement().extracting(Chunk::location).isEqualTo("Results, page 2");
    }

    @Test
    void shortParagraphsArePackedWholeUpToTheTarget() {
        String first = sentences("Alpha", 3);
        String second = sentences("Beta", 2);
        String third = sentences("Gamma", 3);
        List<Chunk> chunks = chunker.chunk(new ParsedDocument("", List.of(paragraph(first), paragraph(second), paragraph(third))));

        // 24 + 16 words fit in 60; the third paragraph (24) would not, and is moved whole to the next chunk
        assertThat(chunks).extracting(Chunk::text).containsExactly(first + "\n\n" + second, third);
    }

    @Test
    void oversizeParagraphsAreSplitAtSentencesIntoEvenOverlappingParts() {
        String text = sentences("Delta", 20);
        List<Chunk> chunks = chunker.chunk(new ParsedDocument("Paper", List.of(paragraph(text))));

        assertThat(chunks).hasSizeGreaterThan(2);
        for (Chunk chunk : chunks) {
            assertThat(WORDS.count(chunk.text())).isLessThanOrEqualTo(60);
            assertThat(body(chunk)).startsWith("Delta sentence number").endsWith("has exactly eight words.");
            assertThat(chunk.text()).startsWith("Paper\n\n");
        }
        // each part after the first repeats the previous part's last sentence
        for (int i = 1; i < chunks.size(); i++) {
            String previous = body(chunks.get(i - 1));
            String lastSentence = previous.substring(previous.lastIndexOf("Delta sentence"));
            assertThat(body(chunks.get(i))).startsWith(lastSentence);
        }
        // parts come out even: no scrap at the end
        List<Integer> sizes = chunks.stream().map(chunk -> WORDS.count(body(chunk))).toList();
        assertThat(sizes.getLast()).isGreaterThanOrEqualTo(sizes.getFirst() - 16);
        // every sentence is in some chunk
        IntStream.rangeClosed(1, 20).forEach(n -> assertThat(chunks).anySatisfy(chunk -> assertThat(chunk.text()).contains("number " + n
                + " ")));
    }

    @Test
    void aSentenceLongerThanAChunkIsCutAtWords() {
        String endless = IntStream.range(0, 150).mapToObj(i -> "w" + i).collect(Collectors.joining(" ")) + ".";
        List<Chunk> chunks = chunker.chunk(new ParsedDocument("", List.of(paragraph(endless))));
        assertThat(chunks).allSatisfy(chunk -> assertThat(WORDS.count(chunk.text())).isLessThanOrEqualTo(60));
        assertThat(chunks.stream().map(Chunk::text).collect(Collectors.joining(" "))).contains("w0 ", "w75 ", "w149.");
    }

    @Test
    void tableRowsAreNeverSplit() {
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            rows.add("row " + i + " | first cell | second cell");
        }
        Block table = new Block(Kind.TABLE, 0, 0, String.join("\n", rows));
        List<Chunk> chunks = chunker.chunk(new ParsedDocument("", List.of(heading(1, "Prices"), paragraph("The price list."), table)));

        assertThat(chunks).hasSizeGreaterThan(2);
        List<String> linesSeen = new ArrayList<>();
        for (Chunk chunk : chunks) {
            assertThat(WORDS.count(chunk.text())).isLessThanOrEqualTo(60);
            body(chunk).lines().filter(line -> line.startsWith("row ")).forEach(line -> {
                assertThat(rows).contains(line);
                linesSeen.add(line);
            });
        }
        // every row once, in order: rows are not repeated as overlap either
        assertThat(linesSeen).isEqualTo(rows);
    }

    @Test
    void aTableThatFitsStaysInOneChunk() {
        Block table = new Block(Kind.TABLE, 0, 0, "OS | Command\nLinux | apt install sb\nmacOS | brew install sb");
        List<Chunk> chunks = chunker.chunk(new ParsedDocument("", List.of(paragraph(sentences("Intro", 7)), table)));
        assertThat(chunks).hasSize(2);
        assertThat(chunks.get(1).text()).isEqualTo(table.text());
    }

    @Test
    void blankBlocksAndEmptyDocumentsGiveNoChunksButHeadingsAloneAreKept() {
        assertThat(chunker.chunk(new ParsedDocument("", List.of()))).isEmpty();
        assertThat(chunker.chunk(new ParsedDocument("", List.of(paragraph("  "))))).isEmpty();
        assertThat(chunker.chunk(new ParsedDocument("", List.of(heading(1, "Agenda"), heading(2, "Budget")))))
                .singleElement().satisfies(chunk -> assertThat(chunk.text()).contains("Agenda", "Budget"));
    }

    @Test
    void wordPieceCountsTokensAsTheModelDoes() {
        TokenCounter tokens = new WordPieceTokenCounter();
        assertThat(tokens.count("Hello world")).isEqualTo(2);
        assertThat(tokens.count("immunohistochemistry")).isGreaterThan(1);
        assertThat(tokens.count("")).isZero();
    }
}
