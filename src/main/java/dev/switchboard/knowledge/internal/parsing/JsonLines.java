package dev.switchboard.knowledge.internal.parsing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * JSON as "path: value" lines ({@code product.ports[1]: 8443}), read as a token stream: no tree is built, and a
 * value's path is only written out when its line is taken from the {@link ExtractionBudget}, which counts the
 * whole line first. So an array of 400,000 items under a 40,000-character key stops after the limit's worth of
 * lines instead of expanding to billions of characters, and containers without values cost no path at all.
 */
final class JsonLines {

    private static final JsonFactory FACTORY = new JsonFactory();
    private static final int BLOCK = 1_000;

    /** An open object or array: its parent, its own path segment, and the current key or index inside it. */
    private static final class Frame {

        final Frame parent;
        final String segment;
        final boolean array;
        final int depth;
        String key = "";
        int index;

        Frame(Frame parent, String segment, boolean array) {
            this.parent = parent;
            this.segment = segment;
            this.array = array;
            this.depth = parent == null ? 0 : parent.depth + 1;
        }

        /** The segment of the value now being read inside this container. */
        String childSegment() {
            return array ? "[" + index + "]" : key;
        }

        void advance() {
            index++;
        }
    }

    private JsonLines() {
    }

    static ParsedDocument read(Path file, ExtractionBudget budget) throws IOException, UnreadableDocument {
        List<ParsedDocument.Block> blocks = new ArrayList<>();
        StringBuilder block = new StringBuilder();
        try (InputStream in = Files.newInputStream(file); JsonParser parser = FACTORY.createParser(ObjectReadContext.empty(), in)) {
            Frame frame = null;
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                switch (token) {
                    case START_OBJECT, START_ARRAY -> frame = new Frame(frame, frame == null ? "" : frame.childSegment(),
                            token == JsonToken.START_ARRAY);
                    case END_OBJECT, END_ARRAY -> {
                        frame = frame.parent;
                        if (frame != null) {
                            frame.advance();
                        }
                    }
                    case PROPERTY_NAME -> frame.key = parser.currentName();
                    case VALUE_NULL -> advance(frame);
                    default -> {
                        line(block, frame, parser.getString(), budget);
                        advance(frame);
                        if (block.length() > BLOCK) {
                            TextFormats.flush(blocks, block, ParsedDocument.Kind.PARAGRAPH);
                        }
                    }
                }
            }
        }
        catch (JacksonException ex) {
            throw new UnreadableDocument("The file is not valid JSON.");
        }
        TextFormats.flush(blocks, block, ParsedDocument.Kind.PARAGRAPH);
        return new ParsedDocument("", blocks);
    }

    /** Whether the whole file is one JSON value (a streaming check: nothing is kept). */
    static boolean isJson(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file); JsonParser parser = FACTORY.createParser(ObjectReadContext.empty(), in)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return false;
            }
            parser.skipChildren();
            return parser.nextToken() == null;
        }
        catch (JacksonException notJson) {
            return false;
        }
    }

    private static void advance(Frame frame) {
        if (frame != null) {
            frame.advance();
        }
    }

    /** Appends "path: value", counting its length against the budget before writing any of it. */
    private static void line(StringBuilder block, Frame frame, String value, ExtractionBudget budget) {
        String[] segments = segments(frame);
        long length = value.length() + 1;
        for (String segment : segments) {
            length += segment.length() + 1;
        }
        budget.take(length + 2);
        boolean first = true;
        for (String segment : segments) {
            if (segment.isEmpty()) {
                continue;
            }
            if (!first && !segment.startsWith("[")) {
                block.append('.');
            }
            block.append(segment);
            first = false;
        }
        block.append(first ? "" : ": ").append(value).append('\n');
    }

    /** The path of the value now being read, root first. */
    private static String[] segments(Frame frame) {
        if (frame == null) {
            return new String[0];
        }
        String[] segments = new String[frame.depth + 2];
        segments[frame.depth + 1] = frame.childSegment();
        for (Frame f = frame; f != null; f = f.parent) {
            segments[f.depth] = f.segment;
        }
        return segments;
    }
}
