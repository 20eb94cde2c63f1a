package dev.switchboard.knowledge.internal.chunking;

import java.util.ArrayList;
import java.util.List;

import dev.switchboard.knowledge.internal.parsing.ParsedDocument;

/**
 * Cuts a parsed document into chunks that follow its structure. Headings are not chunk content but context:
 * a heading closes the chunk before it, its path ("Installation > Linux") becomes the location of the chunks
 * under it (with their pages, "page 3", when the format has pages), and, by default, each chunk's text starts
 * with the document title and that path, because a passage read alone ("Run the installer again") is only
 * findable and citable with its section. Paragraphs are packed whole up to the target size; a paragraph too long
 * for one chunk is cut at sentence boundaries into parts of even size that overlap by a sentence or two. A table
 * is kept in one chunk when it fits, otherwise cut between rows, never inside one (a row longer than a chunk
 * stays whole and the chunk is longer). Thread-safe: each call works on its own state.
 */
public final class Chunker {

    private static final String BETWEEN_BLOCKS = "\n\n";

    private final ChunkingPolicy policy;
    private final TokenCounter tokens;

    public Chunker(ChunkingPolicy policy, TokenCounter tokens) {
        this.policy = policy;
        this.tokens = tokens;
    }

    /** The document's chunks, ordinals from 0 in reading order; none for a document without text. */
    public List<Chunk> chunk(ParsedDocument document) {
        ChunkAssembly assembly = new ChunkAssembly(document.title(), policy, tokens);
        List<ParsedDocument.Block> blocks = document.blocks();
        for (int index = 0; index < blocks.size(); index++) {
            ParsedDocument.Block block = blocks.get(index);
            if (block.text().isBlank()) {
                continue;
            }
            switch (block.kind()) {
                case HEADING -> assembly.heading(block.level(), block.text());
                case PARAGRAPH -> paragraph(block, index, assembly);
                case TABLE -> table(block, index, assembly);
            }
        }
        return assembly.finish();
    }

    private void paragraph(ParsedDocument.Block block, int index, ChunkAssembly assembly) {
        String text = block.text().strip();
        int size = tokens.count(text);
        if (size <= assembly.budget()) {
            assembly.add(new Piece(text, size, block.page(), index, BETWEEN_BLOCKS), Integer.MAX_VALUE);
            return;
        }
        List<Piece> sentences = sentences(text, block.page(), index, assembly.budget());
        assembly.flush();
        assembly.add(sentences.getFirst().withJoiner(BETWEEN_BLOCKS), Integer.MAX_VALUE);
        int softLimit = evenPart(sentences, assembly.budget());
        for (Piece sentence : sentences.subList(1, sentences.size())) {
            assembly.add(sentence, softLimit);
        }
    }

    /** The sentences of an overlong paragraph, each cut at words if it alone exceeds the budget. */
    private List<Piece> sentences(String text, int page, int index, int budget) {
        List<Piece> pieces = new ArrayList<>();
        for (String sentence : Sentences.split(text)) {
            int size = tokens.count(sentence);
            if (size <= budget) {
                pieces.add(new Piece(sentence, size, page, index, " "));
                continue;
            }
            for (String part : Sentences.splitWords(sentence, budget, tokens)) {
                pieces.add(new Piece(part, tokens.count(part), page, index, " "));
            }
        }
        return pieces;
    }

    /**
     * The size at which to close a part of a long paragraph so that its parts come out even rather than full,
     * full, full and a scrap (each part after the first also repeats the overlap).
     */
    private int evenPart(List<Piece> sentences, int budget) {
        int total = sentences.stream().mapToInt(Piece::tokens).sum();
        int step = Math.max(1, budget - policy.overlapTokens());
        int parts = Math.max(1, (int) Math.ceil((double) Math.max(0, total - budget) / step) + 1);
        return (int) Math.ceil((double) (total + (parts - 1) * policy.overlapTokens()) / parts);
    }

    private void table(ParsedDocument.Block block, int index, ChunkAssembly assembly) {
        String text = block.text().strip();
        int size = tokens.count(text);
        if (size <= assembly.budget()) {
            if (size > assembly.room()) {
                assembly.flush();
            }
            assembly.add(new Piece(text, size, block.page(), index, BETWEEN_BLOCKS), Integer.MAX_VALUE);
            return;
        }
        assembly.flush();
        String joiner = BETWEEN_BLOCKS;
        for (String row : text.split("\n")) {
            if (!row.isBlank()) {
                assembly.add(new Piece(row.strip(), tokens.count(row), block.page(), -1 - index, joiner), Integer.MAX_VALUE);
                joiner = "\n";
            }
        }
    }
}
