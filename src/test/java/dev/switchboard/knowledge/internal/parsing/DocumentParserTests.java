package dev.switchboard.knowledge.internal.parsing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every supported type, detected from its content and read with its structure; every bad file refused clearly. */
class DocumentParserTests {

    @TempDir
    Path directory;

    final DocumentParser parser = new DocumentParser(1_000_000);

    ParsedDocument parse(String name, byte[] content, String expectedType) throws Exception {
        Path file = Fixtures.write(directory, name, content);
        assertThat(DocumentTypes.detect(file, name)).hasValue(expectedType);
        return parser.parse(file, expectedType);
    }

    static String text(ParsedDocument document) {
        return String.join("\n", document.blocks().stream().map(ParsedDocument.Block::text).toList());
    }

    @Test
    void tikaIsBuiltAtTheFirstDocumentThatNeedsIt() throws Exception {
        DocumentParser fresh = new DocumentParser(1_000_000);
        assertThat(fresh.tikaLoaded()).isFalse();
        Path markdown = Fixtures.write(directory, "notes.md", "# Title\n\nPlain text needs no Tika.".getBytes(StandardCharsets.UTF_8));
        assertThat(text(fresh.parse(markdown, DocumentTypes.MARKDOWN))).contains("Plain text needs no Tika.");
        assertThat(fresh.tikaLoaded()).isFalse();
        Path html = Fixtures.write(directory, "page.html",
                "<html><body><h1>Title</h1><p>Markup goes through Tika.</p></body></html>".getBytes(StandardCharsets.UTF_8));
        assertThat(text(fresh.parse(html, DocumentTypes.HTML))).contains("Markup goes through Tika.");
        assertThat(fresh.tikaLoaded()).isTrue();
    }

    @Test
    void pdfPagesAreKept() throws Exception {
        ParsedDocument pdf = parse("report.bin", Fixtures.pdf("Revenue grew in spring.", "Costs fell in autumn."), DocumentTypes.PDF);
        assertThat(pdf.blocks()).extracting(ParsedDocument.Block::page).contains(1, 2);
        assertThat(pdf.blocks().stream().filter(b -> b.page() == 2).map(ParsedDocument.Block::text).toList())
                .anySatisfy(t -> assertThat(t).contains("Costs fell in autumn."));
    }

    @Test
    void docxHeadingsParagraphsAndTables() throws Exception {
        ParsedDocument docx = parse("notes.txt", Fixtures.docx("Installation", "Run the installer first.",
                new String[][] {{"OS", "Command"}, {"Linux", "apt install sb"}}), DocumentTypes.DOCX);
        assertThat(docx.blocks()).anySatisfy(b -> {
            assertThat(b.kind()).isEqualTo(ParsedDocument.Kind.HEADING);
            assertThat(b.text()).isEqualTo("Installation");
        });
        assertThat(docx.blocks()).anySatisfy(b -> {
            assertThat(b.kind()).isEqualTo(ParsedDocument.Kind.TABLE);
            assertThat(b.text()).isEqualTo("OS | Command\nLinux | apt install sb");
        });
        assertThat(text(docx)).contains("Run the installer first.");
    }

    @Test
    void pptxSlidesAreKept() throws Exception {
        ParsedDocument pptx = parse("deck", Fixtures.pptx("First slide text", "Second slide text"), DocumentTypes.PPTX);
        assertThat(text(pptx)).contains("First slide text", "Second slide text");
        assertThat(pptx.blocks().stream().filter(b -> b.text().contains("Second")).findFirst().orElseThrow().page()).isEqualTo(2);
    }

    @Test
    void xlsxSheetsBecomeTables() throws Exception {
        ParsedDocument xlsx = parse("numbers.csv", Fixtures.xlsx("Prices", new String[][] {{"Item", "Price"}, {"Tea", "3"}}),
                DocumentTypes.XLSX);
        assertThat(text(xlsx)).contains("Prices").contains("Item | Price").contains("Tea | 3");
    }

    @Test
    void epubChapters() throws Exception {
        ParsedDocument epub = parse("book.epub", Fixtures.epub("Chapter One", "It was a bright cold day."), DocumentTypes.EPUB);
        assertThat(text(epub)).contains("Chapter One", "It was a bright cold day.");
    }

    @Test
    void htmlStructure() throws Exception {
        ParsedDocument html = parse("page.dat", ("<!DOCTYPE html><html><head><title>Guide</title></head><body><h2>Setup</h2>"
                + "<p>Install it.</p><table><tr><th>Key</th><th>Value</th></tr><tr><td>port</td><td>8080</td></tr></table></body></html>")
                .getBytes(StandardCharsets.UTF_8), DocumentTypes.HTML);
        assertThat(html.title()).isEqualTo("Guide");
        assertThat(html.blocks()).extracting(ParsedDocument.Block::kind)
                .containsExactly(ParsedDocument.Kind.HEADING, ParsedDocument.Kind.PARAGRAPH, ParsedDocument.Kind.TABLE);
        assertThat(html.blocks().get(2).text()).isEqualTo("Key | Value\nport | 8080");
    }

    @Test
    void textFormatsAreToldApartByContent() throws Exception {
        ParsedDocument markdown = parse("readme", "# Title\n\nSome *text*.\n\n## Part\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
                .getBytes(StandardCharsets.UTF_8), DocumentTypes.MARKDOWN);
        assertThat(markdown.blocks()).extracting(ParsedDocument.Block::kind).containsExactly(ParsedDocument.Kind.HEADING,
                ParsedDocument.Kind.PARAGRAPH, ParsedDocument.Kind.HEADING, ParsedDocument.Kind.TABLE);
        assertThat(markdown.blocks().get(3).text()).isEqualTo("a | b\n1 | 2");

        ParsedDocument csv = parse("data", "name,city\nAda,London\n\"Lovelace, A\",Paris\n".getBytes(StandardCharsets.UTF_8),
                DocumentTypes.CSV);
        assertThat(csv.blocks().getFirst().text()).isEqualTo("name: Ada | city: London\nname: Lovelace, A | city: Paris");

        ParsedDocument json = parse("x.md", "{\"product\":{\"name\":\"Switchboard\",\"ports\":[8080,8443]}}".getBytes(
                StandardCharsets.UTF_8),
                DocumentTypes.JSON);
        assertThat(text(json)).isEqualTo("product.name: Switchboard\nproduct.ports[0]: 8080\nproduct.ports[1]: 8443");

        ParsedDocument plain = parse("notes.md", "Just words here.\n\nAnd a second paragraph.".getBytes(StandardCharsets.UTF_8),
                DocumentTypes.MARKDOWN);
        assertThat(plain.blocks()).hasSize(2);
        assertThat(parse("notes", "Just words here.\n\nAnd more.".getBytes(StandardCharsets.UTF_8), DocumentTypes.TEXT).blocks())
                .hasSize(2);
    }

    @Test
    void aTextFileNamedAsTextIsTextWhateverItsFirstLines() throws IOException {
        // Tika's own rules take these for an e-mail (message/rfc822), a shell script and XML, which are not supported.
        assertDetected("memo.md", "From: the operations team\nDate: 2026-01-01\n\n# Runbook\n\nRestart the service.\n",
                DocumentTypes.MARKDOWN);
        assertDetected("notes.txt", "From: the operations team\nSubject: restarts\n\nRestart the service at night.\n",
                DocumentTypes.TEXT);
        assertDetected("steps.txt", "#!/bin/sh\necho restart\n", DocumentTypes.TEXT);
        assertDetected("data.csv", "name,city\nAda,London\nGrace,Arlington\n", DocumentTypes.CSV);
        assertDetected("\uFEFFbom.md", "\uFEFF# Title\n\nText.\n", DocumentTypes.MARKDOWN);
        assertDetected("notes.txt", "Caf\u00e9 and na\u00efve r\u00e9sum\u00e9 \u2014 \u65e5\u672c\u8a9e\n", DocumentTypes.TEXT);

        Path pdf = Fixtures.write(directory, "report.txt", Fixtures.pdf("A PDF under a text name."));
        assertThat(DocumentTypes.isText(pdf)).isFalse();
        assertThat(DocumentTypes.detect(pdf, "report.txt")).as("binary content goes to Tika").hasValue(DocumentTypes.PDF);
        Path control = Fixtures.write(directory, "control.txt", "text\u0000with a NUL".getBytes(StandardCharsets.UTF_8));
        assertThat(DocumentTypes.isText(control)).isFalse();
        byte[] cut = ("x".repeat(16 * 1024 - 1) + "\u00e9 and more").getBytes(StandardCharsets.UTF_8);
        assertThat(DocumentTypes.isText(Fixtures.write(directory, "cut.txt", cut))).as("a character cut by the sample's end").isTrue();
    }

    @Test
    void anHtmlNamedTextFileStartingWithATagIsHtmlWithoutTikasDetection() throws IOException {
        String page = "<!DOCTYPE html><html><body><h1>Holidays</h1><p>27 days a year.</p></body></html>";
        assertThat(DocumentTypes.looksLikeHtml(page)).isTrue();
        assertDetected("page.html", page, DocumentTypes.HTML);
        assertThat(DocumentTypes.looksLikeHtml("\uFEFF\n  <H1>Holidays</H1>\n<P>27 days a year.</P>")).as("a fragment").isTrue();
        assertDetected("fragment.htm", "<h1>Holidays</h1>\n<p>27 days a year.</p>\n", DocumentTypes.HTML);

        assertThat(DocumentTypes.looksLikeHtml("<?xml version=\"1.0\"?><rss><channel><title>News</title></channel></rss>"))
                .as("XML: Tika decides").isFalse();
        assertThat(DocumentTypes.looksLikeHtml("<svg xmlns=\"http://www.w3.org/2000/svg\"><text>Hi</text></svg>")).isFalse();
        assertThat(DocumentTypes.looksLikeHtml("Just words, no tags.")).isFalse();
        assertDetected("words.html", "Just words, no tags, under an HTML name.\n", DocumentTypes.TEXT);
        Path latin1 = Fixtures.write(directory, "latin.html", "<html><body><p>Caf\u00e9 cr\u00e8me</p></body></html>".getBytes(
                StandardCharsets.ISO_8859_1));
        assertThat(DocumentTypes.detect(latin1, "latin.html")).as("not UTF-8: Tika detects it").hasValue(DocumentTypes.HTML);
    }

    private void assertDetected(String name, String content, String type) throws IOException {
        Path file = Fixtures.write(directory, name.replace("\uFEFF", ""), content.getBytes(StandardCharsets.UTF_8));
        assertThat(DocumentTypes.detect(file, name.replace("\uFEFF", ""))).as(name).hasValue(type);
    }

    @Test
    void unsupportedTypesAreNotAccepted() throws IOException {
        Path zip = Fixtures.write(directory, "archive.pdf", new byte[] {'P', 'K', 3, 4, 20, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0});
        assertThat(DocumentTypes.detect(zip, "archive.pdf")).isEmpty();
        Path png = Fixtures.write(directory, "image.txt", new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13});
        assertThat(DocumentTypes.detect(png, "image.txt")).isEmpty();
    }

    @Test
    void badFilesFailWithAReason() throws IOException {
        assertReason(Fixtures.encryptedPdf("Secret plans."), DocumentTypes.PDF, "encrypted");
        byte[] pdf = Fixtures.pdf("Some text");
        byte[] truncated = java.util.Arrays.copyOf(pdf, pdf.length / 3);
        assertReason(truncated, DocumentTypes.PDF, "could not be read");
        assertReason(new byte[0], DocumentTypes.TEXT, "empty");
        assertReason("   \n\n  ".getBytes(StandardCharsets.UTF_8), DocumentTypes.TEXT, "no text");
        assertReason(Fixtures.docxBomb(), DocumentTypes.DOCX, "expands");
    }

    @Test
    void aCompressionBombIsRefusedBeforeTikaReadsIt() throws IOException {
        DocumentParser fresh = new DocumentParser(1_000_000);
        Path bomb = Fixtures.write(directory, "bomb.docx", Fixtures.docxBomb());
        assertThatThrownBy(() -> fresh.parse(bomb, DocumentTypes.DOCX)).isInstanceOf(UnreadableDocument.class)
                .hasMessageContaining("compression bomb");
        assertThat(fresh.tikaLoaded()).as("refused by the expansion check, before Tika held the 300 MB paragraph").isFalse();
    }

    @Test
    void manyEntriesEachUnderTheGraceAreBoundedTogether() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (int i = 0; i < 3; i++) {
                zip.putNextEntry(new ZipEntry("part-" + i + ".xml"));
                zip.write("a".repeat(1 << 20).getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        Path file = Fixtures.write(directory, "parts.zip", bytes.toByteArray());
        assertThat(ZipExpansion.isZip(file)).isTrue();
        ZipExpansion.check(file, 4L << 20);
        assertThatThrownBy(() -> ZipExpansion.check(file, 2L << 20)).isInstanceOf(UnreadableDocument.class).hasMessageContaining(
                "compression bomb");
        assertThat(ZipExpansion.isZip(Fixtures.write(directory, "note.txt", "PK is not enough".getBytes(StandardCharsets.UTF_8))))
                .isFalse();
    }

    @Test
    void expansionIsBounded() throws IOException {
        DocumentParser small = new DocumentParser(5_000);
        Path sheet = Fixtures.write(directory, "big.xlsx", Fixtures.xlsx("Big", bigSheet()));
        assertThatThrownBy(() -> small.parse(sheet, DocumentTypes.XLSX)).isInstanceOf(UnreadableDocument.class)
                .hasMessageContaining("expands to more than 5000 characters");
    }

    private static String[][] bigSheet() {
        String[][] rows = new String[500][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = new String[] {"row " + i, "value " + i, "more text in row " + i};
        }
        return rows;
    }

    private void assertReason(byte[] content, String type, String reason) throws IOException {
        Path file = Fixtures.write(directory, "bad-" + System.nanoTime(), content);
        assertThatThrownBy(() -> parser.parse(file, type)).isInstanceOf(UnreadableDocument.class)
                .message().containsIgnoringCase(reason);
    }

    @Test
    void cellsHonourQuotes() {
        assertThat(TextFormats.cells("a,\"b, c\",\"say \"\"hi\"\"\"", ',', new ExtractionBudget(100, Deadline.none()))).isEqualTo(List.of(
                "a", "b, c", "say \"hi\""));
    }
}
