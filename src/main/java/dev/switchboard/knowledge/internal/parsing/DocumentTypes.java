package dev.switchboard.knowledge.internal.parsing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.tika.detect.DefaultDetector;
import org.apache.tika.detect.Detector;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.mime.MediaType;

/**
 * What a file is, judged from its content (Apache Tika's detectors: magic bytes, container inspection), never
 * from its name alone. Formats that are all "plain text" to a byte detector are told apart by their content:
 * JSON parses as JSON; CSV has the same number of separators on its lines; Markdown has Markdown structure
 * (headings, lists, links) — for these three the file name's extension may confirm, never overrule.
 * <p>
 * A file named as text ({@code .md}, {@code .txt}, {@code .csv}, {@code .json}) whose content is text (UTF-8 with no
 * control characters but tabs, line and page breaks) is text without asking Tika: Tika's text rules would take a
 * Markdown note that begins with {@code From:} or {@code Date:} lines for an e-mail (and refuse it), and its detectors
 * cost more than the rest of an upload's checks. The content still decides between JSON, CSV, Markdown and plain text,
 * and a binary file under a text name (a PDF renamed {@code .txt}) is not text and goes to Tika.
 */
public final class DocumentTypes {

    public static final String PDF = "application/pdf";
    public static final String DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    public static final String PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation";
    public static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    public static final String HTML = "text/html";
    public static final String MARKDOWN = "text/markdown";
    public static final String TEXT = "text/plain";
    public static final String CSV = "text/csv";
    public static final String JSON = "application/json";
    public static final String EPUB = "application/epub+zip";

    /** Supported types with the names users know them by. */
    public static final Map<String, String> SUPPORTED = Map.of(PDF, "PDF", DOCX, "Word (DOCX)", PPTX, "PowerPoint (PPTX)",
            XLSX, "Excel (XLSX)", HTML, "HTML", MARKDOWN, "Markdown", TEXT, "plain text", CSV, "CSV", JSON, "JSON", EPUB, "EPUB");

    private static final Detector DETECTOR = new DefaultDetector();

    /** Names a user gives text files by: their content alone decides which text format they hold. */
    private static final Set<String> TEXT_NAMES = Set.of("md", "markdown", "txt", "text", "csv", "json");

    /** Names of HTML files: UTF-8 text under them that starts with an HTML tag is HTML without Tika's detection. */
    private static final Set<String> HTML_NAMES = Set.of("html", "htm");

    /** Tags an HTML file starts with, or has near its start (what Tika's magic for text/html looks for, and more). */
    private static final List<String> HTML_TAGS = List.of("<!doctype html", "<html", "<head", "<body", "<title", "<meta", "<h1", "<h2",
            "<h3", "<h4", "<h5", "<h6", "<p>", "<p ", "<div", "<table", "<ul", "<ol", "<section", "<article");

    /** How much of a file is read to tell text from binary (as much as Tika's text detector reads). */
    private static final int SAMPLE_BYTES = 16 * 1024;

    private DocumentTypes() {
    }

    /** The supported type of the file, or empty when it is none of them (or cannot be told). */
    public static Optional<String> detect(Path file, String fileName) throws IOException {
        if (Files.size(file) == 0) {
            // Nothing to detect: accepted as text, and ingestion will say the file is empty.
            return Optional.of(TEXT);
        }
        if (TEXT_NAMES.contains(extension(fileName)) && isText(file)) {
            return Optional.of(refineText(file, fileName));
        }
        // Tika's detection (its magic patterns tried one by one) was a tenth of an HTML upload's CPU.
        if (HTML_NAMES.contains(extension(fileName))) {
            String text = textSample(file);
            if (text != null && looksLikeHtml(text)) {
                return Optional.of(HTML);
            }
        }
        MediaType detected;
        try (TikaInputStream in = TikaInputStream.get(file)) {
            detected = DETECTOR.detect(in, new Metadata());
        }
        String base = detected.getBaseType().toString();
        if (base.equals("application/xhtml+xml")) {
            base = HTML;
        }
        if (base.equals(TEXT) || base.equals(HTML) && looksLikeJson(file)) {
            return Optional.of(refineText(file, fileName));
        }
        return SUPPORTED.containsKey(base) ? Optional.of(base) : Optional.empty();
    }

    private static String refineText(Path file, String fileName) throws IOException {
        String extension = extension(fileName);
        if (looksLikeJson(file)) {
            return JSON;
        }
        String sample = sample(file);
        if (looksLikeCsv(sample) && !extension.equals("md") && !extension.equals("txt")) {
            return CSV;
        }
        if (extension.equals("md") || extension.equals("markdown") || looksLikeMarkdown(sample)) {
            return MARKDOWN;
        }
        return TEXT;
    }

    /**
     * Starts, after a byte-order mark and blank space, with a tag other than an XML declaration, and has one of
     * {@link #HTML_TAGS} in its first kilobyte (case-insensitive).
     */
    static boolean looksLikeHtml(String sample) {
        String start = sample.replace("\uFEFF", "").stripLeading();
        if (!start.startsWith("<") || start.startsWith("<?xml")) {
            return false;
        }
        String head = start.substring(0, Math.min(start.length(), 1024)).toLowerCase(Locale.ROOT);
        return HTML_TAGS.stream().anyMatch(head::contains);
    }

    private static boolean looksLikeJson(Path file) throws IOException {
        String sample = sample(file).stripLeading();
        if (!sample.startsWith("{") && !sample.startsWith("[")) {
            return false;
        }
        return JsonLines.isJson(file);
    }

    static boolean looksLikeCsv(String sample) {
        String[] lines = sample.lines().filter(line -> !line.isBlank()).limit(20).toArray(String[]::new);
        if (lines.length < 2) {
            return false;
        }
        for (char separator : new char[] {',', ';', '\t'}) {
            long first = count(lines[0], separator);
            if (first == 0) {
                continue;
            }
            boolean consistent = true;
            for (int i = 1; i < lines.length - 1; i++) {
                consistent &= count(lines[i], separator) == first;
            }
            if (consistent) {
                return true;
            }
        }
        return false;
    }

    static boolean looksLikeMarkdown(String sample) {
        long structure = sample.lines().filter(line -> line.matches("^#{1,6} \\S.*") || line.matches("^\\s*[-*+] \\S.*")
                || hasLink(line) || line.startsWith("```")).count();
        return structure >= 2 || sample.lines().anyMatch(line -> line.matches("^#{1,6} \\S.*"));
    }

    /** {@code [text](target)} somewhere in the line, found in one pass (the regex it replaces backtracked). */
    static boolean hasLink(String line) {
        int open = line.indexOf('[');
        int middle = open < 0 ? -1 : line.indexOf("](", open + 2);
        return middle > open + 1 && line.indexOf(')', middle + 3) > 0;
    }

    private static long count(String line, char separator) {
        return line.chars().filter(c -> c == separator).count();
    }

    /**
     * Whether the file's first {@value #SAMPLE_BYTES} bytes are UTF-8 text: valid UTF-8 (a character cut at the sample's
     * end allowed) without control characters other than tab, line feed, carriage return and form feed; a byte-order mark
     * is allowed.
     */
    static boolean isText(Path file) throws IOException {
        return textSample(file) != null;
    }

    /** The file's first {@value #SAMPLE_BYTES} bytes decoded when they are text as {@link #isText} says; null otherwise. */
    static String textSample(Path file) throws IOException {
        byte[] bytes;
        boolean whole;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(SAMPLE_BYTES);
            whole = in.read() < 0;
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, whole);
        if (result.isError() || whole && decoder.flush(out).isError() || in.remaining() > 3) {
            return null;
        }
        out.flip();
        for (int i = 0; i < out.length(); i++) {
            char c = out.charAt(i);
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' || c == 0x7f) {
                return null;
            }
        }
        return out.toString();
    }

    private static String sample(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readNBytes(16 * 1024), StandardCharsets.UTF_8);
        }
    }

    private static String extension(String fileName) {
        int dot = fileName == null ? -1 : fileName.lastIndexOf('.');
        return dot < 0 ? "" : fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
