package dev.switchboard.knowledge.internal.parsing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.tika.exception.EncryptedDocumentException;
import org.apache.tika.exception.TikaException;
import org.apache.tika.exception.ZeroByteFileException;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.parser.AutoDetectParser;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.parser.Parser;
import org.apache.tika.sax.SecureContentHandler;
import org.xml.sax.SAXException;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a stored document into a {@link ParsedDocument}. Binary and markup formats (PDF, DOCX, PPTX, XLSX,
 * HTML, EPUB) go through Apache Tika with its zip-bomb guard; the text formats are read directly so that
 * their structure survives: Markdown headings, CSV rows, JSON as "path: value" lines. Every format is bounded
 * by {@code maxCharacters}. Failures a retry cannot fix come out as {@link UnreadableDocument}.
 */
public final class DocumentParser {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final long maxCharacters;
    private final Parser tika = new AutoDetectParser();

    public DocumentParser(long maxCharacters) {
        this.maxCharacters = maxCharacters;
    }

    public ParsedDocument parse(Path file, String mediaType) throws UnreadableDocument, IOException {
        if (Files.size(file) == 0) {
            throw new UnreadableDocument("The file is empty.");
        }
        ParsedDocument document = switch (mediaType) {
            case DocumentTypes.MARKDOWN -> markdown(readText(file));
            case DocumentTypes.TEXT -> plainText(readText(file));
            case DocumentTypes.CSV -> csv(readText(file));
            case DocumentTypes.JSON -> json(file);
            default -> withTika(file);
        };
        if (document.blocks().stream().allMatch(block -> block.text().isBlank())) {
            throw new UnreadableDocument("The file contains no text to index (a scanned PDF without text needs OCR first).");
        }
        return document;
    }

    private ParsedDocument withTika(Path file) throws UnreadableDocument, IOException {
        StructureHandler structure = new StructureHandler(maxCharacters);
        try (TikaInputStream in = TikaInputStream.get(file)) {
            SecureContentHandler secure = new SecureContentHandler(structure, in);
            try {
                tika.parse(in, secure, new Metadata(), new ParseContext());
            }
            catch (SAXException ex) {
                secure.throwIfCauseOf(ex);
                throw ex;
            }
        }
        catch (SAXException ex) {
            if (hasCause(ex, StructureHandler.TooMuchText.class)) {
                throw tooLarge();
            }
            throw new UnreadableDocument("The file could not be read: its content is malformed.");
        }
        catch (EncryptedDocumentException ex) {
            throw new UnreadableDocument("The file is encrypted or password-protected; upload an unprotected copy.");
        }
        catch (ZeroByteFileException ex) {
            throw new UnreadableDocument("The file is empty.");
        }
        catch (TikaException ex) {
            if (hasCause(ex, StructureHandler.TooMuchText.class)) {
                throw tooLarge();
            }
            if (ex.getClass().getSimpleName().contains("ZipBomb") || causeMentions(ex, "bomb")) {
                throw new UnreadableDocument("The file expands to far more than it stores (a compression bomb?) and was refused.");
            }
            if (hasCause(ex, EncryptedDocumentException.class) || String.valueOf(ex.getMessage()).toLowerCase(Locale.ROOT).contains("encrypt")) {
                throw new UnreadableDocument("The file is encrypted or password-protected; upload an unprotected copy.");
            }
            throw new UnreadableDocument("The file could not be read: it is corrupt or not really the type it appears to be.");
        }
        return structure.document();
    }

    private UnreadableDocument tooLarge() {
        return new UnreadableDocument("The file expands to more than " + maxCharacters + " characters of text, the limit "
                + "(switchboard.knowledge.max-extracted-characters); split it into smaller documents.");
    }

    private String readText(Path file) throws IOException, UnreadableDocument {
        if (Files.size(file) > maxCharacters * 4) {
            throw tooLarge();
        }
        String text = Files.readString(file, StandardCharsets.UTF_8).replace("\r\n", "\n").replace('\r', '\n');
        if (text.length() > maxCharacters) {
            throw tooLarge();
        }
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    static ParsedDocument markdown(String text) {
        List<ParsedDocument.Block> blocks = new ArrayList<>();
        StringBuilder paragraph = new StringBuilder();
        StringBuilder table = new StringBuilder();
        boolean fenced = false;
        for (String line : text.split("\n", -1)) {
            if (line.startsWith("```")) {
                fenced = !fenced;
                paragraph.append(line).append('\n');
                continue;
            }
            if (!fenced && line.matches("^#{1,6} .*")) {
                flush(blocks, paragraph, ParsedDocument.Kind.PARAGRAPH);
                flush(blocks, table, ParsedDocument.Kind.TABLE);
                int level = line.indexOf(' ');
                blocks.add(new ParsedDocument.Block(ParsedDocument.Kind.HEADING, level, 0, line.substring(level).strip()));
            }
            else if (!fenced && line.strip().startsWith("|")) {
                flush(blocks, paragraph, ParsedDocument.Kind.PARAGRAPH);
                if (!line.matches("^\\s*\\|[\\s:|-]+\\|?\\s*$")) {
                    table.append(line.strip().replaceAll("^\\||\\|$", "").strip().replaceAll("\\s*\\|\\s*", " | ")).append('\n');
                }
            }
            else if (!fenced && line.isBlank()) {
                flush(blocks, paragraph, ParsedDocument.Kind.PARAGRAPH);
                flush(blocks, table, ParsedDocument.Kind.TABLE);
            }
            else {
                flush(blocks, table, ParsedDocument.Kind.TABLE);
                paragraph.append(line).append('\n');
            }
        }
        flush(blocks, paragraph, ParsedDocument.Kind.PARAGRAPH);
        flush(blocks, table, ParsedDocument.Kind.TABLE);
        String title = blocks.stream().filter(b -> b.kind() == ParsedDocument.Kind.HEADING && b.level() == 1).map(ParsedDocument.Block::text)
                .findFirst().orElse("");
        return new ParsedDocument(title, blocks);
    }

    static ParsedDocument plainText(String text) {
        List<ParsedDocument.Block> blocks = new ArrayList<>();
        for (String paragraph : text.split("\n\\s*\n")) {
            if (!paragraph.isBlank()) {
                blocks.add(new ParsedDocument.Block(ParsedDocument.Kind.PARAGRAPH, 0, 0, paragraph.strip()));
            }
        }
        return new ParsedDocument("", blocks);
    }

    /** A CSV as a table whose every row repeats the header, so that each chunk of rows stays understandable. */
    static ParsedDocument csv(String text) {
        List<String> lines = text.lines().filter(line -> !line.isBlank()).toList();
        if (lines.isEmpty()) {
            return new ParsedDocument("", List.of());
        }
        char separator = lines.getFirst().contains("\t") ? '\t' : lines.getFirst().contains(";") && !lines.getFirst().contains(",") ? ';' : ',';
        List<String> header = cells(lines.getFirst(), separator);
        List<ParsedDocument.Block> blocks = new ArrayList<>();
        StringBuilder rows = new StringBuilder();
        for (String line : lines.subList(1, lines.size())) {
            List<String> cells = cells(line, separator);
            StringBuilder row = new StringBuilder();
            for (int i = 0; i < cells.size(); i++) {
                if (!row.isEmpty()) {
                    row.append(" | ");
                }
                row.append(i < header.size() && !header.get(i).isBlank() ? header.get(i) + ": " : "").append(cells.get(i));
            }
            rows.append(row).append('\n');
        }
        if (lines.size() == 1) {
            rows.append(String.join(" | ", header));
        }
        blocks.add(new ParsedDocument.Block(ParsedDocument.Kind.TABLE, 0, 0, rows.toString().strip()));
        return new ParsedDocument("", blocks);
    }

    /** Cells of one CSV line, honouring double quotes. */
    static List<String> cells(String line, char separator) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                if (quoted && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                }
                else {
                    quoted = !quoted;
                }
            }
            else if (c == separator && !quoted) {
                cells.add(cell.toString().strip());
                cell.setLength(0);
            }
            else {
                cell.append(c);
            }
        }
        cells.add(cell.toString().strip());
        return cells;
    }

    private ParsedDocument json(Path file) throws IOException, UnreadableDocument {
        JsonNode root;
        try (InputStream in = Files.newInputStream(file)) {
            root = JSON.readTree(in);
        }
        catch (RuntimeException ex) {
            throw new UnreadableDocument("The file is not valid JSON.");
        }
        List<String> lines = new ArrayList<>();
        flatten("", root, lines);
        long characters = lines.stream().mapToLong(String::length).sum();
        if (characters > maxCharacters) {
            throw tooLarge();
        }
        List<ParsedDocument.Block> blocks = new ArrayList<>();
        StringBuilder block = new StringBuilder();
        for (String line : lines) {
            block.append(line).append('\n');
            if (block.length() > 1_000) {
                flush(blocks, block, ParsedDocument.Kind.PARAGRAPH);
            }
        }
        flush(blocks, block, ParsedDocument.Kind.PARAGRAPH);
        return new ParsedDocument("", blocks);
    }

    private static void flatten(String path, JsonNode node, List<String> lines) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                flatten(path.isEmpty() ? field.getKey() : path + "." + field.getKey(), field.getValue(), lines);
            }
        }
        else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                flatten(path + "[" + i + "]", node.get(i), lines);
            }
        }
        else if (!node.isNull()) {
            lines.add((path.isEmpty() ? "" : path + ": ") + node.asString());
        }
    }

    private static void flush(List<ParsedDocument.Block> blocks, StringBuilder text, ParsedDocument.Kind kind) {
        String content = text.toString().strip();
        if (!content.isEmpty()) {
            blocks.add(new ParsedDocument.Block(kind, 0, 0, content));
        }
        text.setLength(0);
    }

    /** POI refuses over-compressed archives itself ("Zip bomb detected!"), wrapped in Tika's exception. */
    private static boolean causeMentions(Throwable thrown, String word) {
        for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
            if (String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT).contains(word)) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasCause(Throwable thrown, Class<? extends Throwable> type) {
        for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }
}
