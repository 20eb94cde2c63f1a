package dev.switchboard.knowledge.internal.parsing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import org.apache.tika.detect.DefaultDetector;
import org.apache.tika.detect.Detector;
import org.apache.tika.exception.EncryptedDocumentException;
import org.apache.tika.exception.TikaException;
import org.apache.tika.exception.ZeroByteFileException;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.mime.MediaType;
import org.apache.tika.parser.AutoDetectParser;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.parser.Parser;
import org.apache.tika.sax.SecureContentHandler;
import org.xml.sax.SAXException;

/**
 * Reads a stored document into a {@link ParsedDocument}. Binary and markup formats (PDF, DOCX, PPTX, XLSX,
 * HTML, EPUB) go through Apache Tika with its zip-bomb guard; the text formats are read directly so that
 * their structure survives ({@link TextFormats}, {@link JsonLines}). Every format is bounded by {@code maxCharacters}
 * while it is extracted, not after ({@link ExtractionBudget}), and stops at the attempt's {@link Deadline}.
 * Failures a retry cannot fix come out as {@link UnreadableDocument}.
 */
public final class DocumentParser {

    private final long maxCharacters;
    /**
     * Tika's parsers, built at the first document that needs them: building them loads every parser Tika ships
     * (POI, PDFBox, ...), a few seconds and some thousand classes that a start, or a deployment with text files only,
     * should not pay. {@link AutoDetectParser} is thread-safe once built.
     */
    private volatile Parser tika;

    public DocumentParser(long maxCharacters) {
        this.maxCharacters = maxCharacters;
    }

    /** Whether Tika's parsers have been built (only once a document needed them). */
    public boolean tikaLoaded() {
        return tika != null;
    }

    private Parser tika() {
        Parser parser = tika;
        if (parser == null) {
            synchronized (this) {
                parser = tika;
                if (parser == null) {
                    parser = new AutoDetectParser(new KnownType(new DefaultDetector()));
                    tika = parser;
                }
            }
        }
        return parser;
    }

    public ParsedDocument parse(Path file, String mediaType) throws UnreadableDocument, IOException {
        return parse(file, mediaType, Deadline.none());
    }

    /** Parses within the limit and the deadline: past either, the parser is stopped and the reason thrown. */
    public ParsedDocument parse(Path file, String mediaType, Deadline deadline) throws UnreadableDocument, IOException {
        ExtractionBudget budget = new ExtractionBudget(maxCharacters, deadline);
        try {
            return parse(file, mediaType, budget);
        }
        catch (ExtractionBudget.Exceeded exceeded) {
            throw new UnreadableDocument(exceeded.getMessage());
        }
    }

    ParsedDocument parse(Path file, String mediaType, ExtractionBudget budget) throws UnreadableDocument, IOException {
        if (Files.size(file) == 0) {
            throw new UnreadableDocument("The file is empty.");
        }
        ParsedDocument document = switch (mediaType) {
            case DocumentTypes.MARKDOWN -> TextFormats.markdown(readText(file), budget);
            case DocumentTypes.TEXT -> TextFormats.plainText(readText(file), budget);
            case DocumentTypes.CSV -> TextFormats.csv(readText(file), budget);
            case DocumentTypes.JSON -> JsonLines.read(file, budget);
            default -> withTika(file, mediaType, budget);
        };
        if (document.blocks().stream().allMatch(block -> block.text().isBlank())) {
            throw new UnreadableDocument("The file contains no text to index (a scanned PDF without text needs OCR first).");
        }
        return document;
    }

    private ParsedDocument withTika(Path file, String mediaType, ExtractionBudget budget) throws UnreadableDocument, IOException {
        if (ZipExpansion.isZip(file)) {
            ZipExpansion.check(file);
        }
        StructureHandler structure = new StructureHandler(budget);
        try (TikaInputStream in = TikaInputStream.get(file)) {
            SecureContentHandler secure = new SecureContentHandler(structure, in);
            Metadata metadata = new Metadata();
            metadata.set(KnownType.KEY, mediaType);
            try {
                tika().parse(in, secure, metadata, new ParseContext());
            }
            catch (SAXException ex) {
                secure.throwIfCauseOf(ex);
                throw ex;
            }
        }
        catch (SAXException ex) {
            if (stoppedBy(ex) != null) {
                throw new UnreadableDocument(stoppedBy(ex));
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
            if (stoppedBy(ex) != null) {
                throw new UnreadableDocument(stoppedBy(ex));
            }
            if (ex.getClass().getSimpleName().contains("ZipBomb") || causeMentions(ex, "bomb")) {
                throw new UnreadableDocument("The file expands to far more than it stores (a compression bomb?) and was refused.");
            }
            if (hasCause(ex, EncryptedDocumentException.class) || String.valueOf(ex.getMessage()).toLowerCase(Locale.ROOT).contains(
                    "encrypt")) {
                throw new UnreadableDocument("The file is encrypted or password-protected; upload an unprotected copy.");
            }
            throw new UnreadableDocument("The file could not be read: it is corrupt or not really the type it appears to be.");
        }
        return structure.document();
    }

    /**
     * The document's type as detected when it was uploaded ({@link DocumentTypes#detect}), so that Tika does not detect
     * it again (its 1,500 magic patterns, the container and XML-root inspections: for a one-paragraph HTML file, more CPU
     * than parsing it). Documents embedded in it (an EPUB's chapters, a DOCX's attachments) come with metadata of their
     * own, without the key, and are detected as before.
     */
    private record KnownType(Detector detector) implements Detector {

        static final String KEY = "X-Switchboard-Detected-Type";

        @Override
        public MediaType detect(InputStream input, Metadata metadata) throws IOException {
            String known = metadata.get(KEY);
            return known != null ? MediaType.parse(known) : detector.detect(input, metadata);
        }
    }

    private UnreadableDocument tooLarge() {
        return new UnreadableDocument(ExtractionBudget.tooLarge(maxCharacters));
    }

    /** The reason the structure handler stopped the parser (the limit or the deadline), if it did. */
    private static String stoppedBy(Throwable thrown) {
        for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
            if (cause instanceof StructureHandler.TooMuchText stopped) {
                return stopped.getMessage();
            }
        }
        return null;
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
