package dev.switchboard.knowledge.internal.chunking;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Fills chunks with pieces in reading order within the current section: tracks the heading path, cuts a chunk
 * when the next piece would not fit, carries a sentence overlap into the next chunk when a paragraph
 * continues, and labels each chunk with its section and pages. One instance per document; not thread-safe.
 */
final class ChunkAssembly {

    private static final String CONTEXT_SEPARATOR = "\n\n";

    private final String title;
    private final ChunkingPolicy policy;
    private final TokenCounter tokens;
    private final String[] headings = new String[6];
    private final List<Piece> pieces = new ArrayList<>();
    private final List<Chunk> chunks = new ArrayList<>();
    private String context = "";
    private int contextTokens;
    private int used;
    private boolean sawHeading;

    ChunkAssembly(String title, ChunkingPolicy policy, TokenCounter tokens) {
        this.title = title == null ? "" : title.strip();
        this.policy = policy;
        this.tokens = tokens;
        updateContext();
    }

    /** A heading closes the current chunk: the next one belongs to another section. */
    void heading(int level, String text) {
        flush();
        int index = Math.clamp(level, 1, headings.length) - 1;
        headings[index] = text.strip().replaceAll("\\s+", " ");
        Arrays.fill(headings, index + 1, headings.length, null);
        sawHeading = true;
        updateContext();
    }

    /** Tokens a chunk's body may hold in the current section. */
    int budget() {
        return policy.targetTokens() - contextTokens;
    }

    /** Tokens still free in the chunk being filled. */
    int room() {
        return budget() - used;
    }

    /**
     * Adds a piece, first closing the current chunk if the piece does not fit in it, or if the chunk is closer
     * to {@code softLimit} tokens without the piece than with it (so that a long paragraph is cut into parts of
     * even size).
     */
    void add(Piece piece, int softLimit) {
        int with = used + piece.tokens();
        boolean full = with > budget();
        boolean evenPart = with > softLimit && softLimit - used < with - softLimit;
        if (!pieces.isEmpty() && (full || evenPart)) {
            cut(piece.block());
        }
        pieces.add(piece);
        used += piece.tokens();
    }

    /** Closes the current chunk without overlap (a new block starts that should not be split). */
    void flush() {
        cut(-1);
    }

    List<Chunk> finish() {
        flush();
        if (chunks.isEmpty() && sawHeading) {
            String headingsOnly = Stream.of(headings).filter(Objects::nonNull).collect(Collectors.joining("\n"));
            chunks.add(new Chunk(0, location(List.of()), headingsOnly));
        }
        return List.copyOf(chunks);
    }

    private void cut(int continuingBlock) {
        if (pieces.isEmpty()) {
            return;
        }
        chunks.add(new Chunk(chunks.size(), location(pieces), text(pieces)));
        List<Piece> overlap = overlap(continuingBlock);
        pieces.clear();
        pieces.addAll(overlap);
        used = overlap.stream().mapToInt(Piece::tokens).sum();
    }

    /** The trailing sentences of the closed chunk to repeat, when its last block continues in the next one. */
    private List<Piece> overlap(int continuingBlock) {
        List<Piece> carried = new ArrayList<>();
        int carriedTokens = 0;
        for (int i = pieces.size() - 1; i > 0; i--) {
            Piece piece = pieces.get(i);
            if (continuingBlock < 0 || piece.block() != continuingBlock || carriedTokens + piece.tokens() > policy.overlapTokens()) {
                break;
            }
            carried.addFirst(piece);
            carriedTokens += piece.tokens();
        }
        return carried;
    }

    private String text(List<Piece> body) {
        StringBuilder text = new StringBuilder();
        if (policy.contextLine() && !context.isEmpty()) {
            text.append(context).append(CONTEXT_SEPARATOR);
        }
        for (int i = 0; i < body.size(); i++) {
            text.append(i == 0 ? "" : body.get(i).joiner()).append(body.get(i).text());
        }
        return text.toString();
    }

    private String location(List<Piece> body) {
        String path = headingPath();
        String pages = pages(body);
        if (path.isEmpty() || pages.isEmpty()) {
            return path + pages;
        }
        return path + ", " + pages;
    }

    private static String pages(List<Piece> body) {
        int first = body.stream().mapToInt(Piece::page).filter(page -> page > 0).min().orElse(0);
        int last = body.stream().mapToInt(Piece::page).max().orElse(0);
        if (first == 0) {
            return "";
        }
        return first == last ? "page " + first : "pages " + first + "-" + last;
    }

    private String headingPath() {
        return Stream.of(headings).filter(Objects::nonNull).collect(Collectors.joining(" > "));
    }

    /**
     * The context line: title and heading path (the title only once when the first heading repeats it). A
     * context longer than a quarter of the chunk is cut down to the innermost heading, or dropped.
     */
    private void updateContext() {
        String path = headingPath();
        boolean titleRepeated = headings[0] != null && headings[0].equalsIgnoreCase(title);
        context = Stream.of(titleRepeated ? "" : title, path).filter(part -> !part.isEmpty()).collect(Collectors.joining(" > "));
        if (!policy.contextLine()) {
            context = "";
        }
        contextTokens = context.isEmpty() ? 0 : tokens.count(context + CONTEXT_SEPARATOR);
        if (contextTokens > policy.targetTokens() / 4) {
            String innermost = Stream.of(headings).filter(Objects::nonNull).reduce((first, second) -> second).orElse("");
            context = innermost;
            contextTokens = innermost.isEmpty() ? 0 : tokens.count(innermost + CONTEXT_SEPARATOR);
            if (contextTokens > policy.targetTokens() / 4) {
                context = "";
                contextTokens = 0;
            }
        }
    }
}
