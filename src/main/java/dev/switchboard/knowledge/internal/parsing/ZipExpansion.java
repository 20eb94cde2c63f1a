package dev.switchboard.knowledge.internal.parsing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * The expansion check of a ZIP container (Word, PowerPoint, Excel, OpenDocument, EPUB) before Tika reads it. Tika's
 * Word reader keeps a whole text run in memory before the extraction budget sees a character of it, so a 300 KB file
 * holding one 300 MB paragraph cost 17 s of CPU, and its size in heap, before it was refused. Here every entry is
 * inflated into nothing, counting, and the file is refused once an entry has grown past {@value #GRACE} bytes and
 * more than {@value #MAX_RATIO} times its compressed size (Apache POI's own rule for a zip bomb), once the entries
 * together pass {@value #MAX_TOTAL} bytes (many entries each under the grace), or when an entry inflates to more than
 * the archive says. Inflating is bounded so (about a second of CPU for the largest total); a file that is not a
 * readable ZIP is left to Tika, which says why it cannot be read.
 */
final class ZipExpansion {

    /** Entries up to this size pass whatever their ratio (short, repetitive XML parts compress very well). */
    static final long GRACE = 10L << 20;

    /** Inflated / compressed above which an entry past {@link #GRACE} is a bomb (POI refuses below a ratio of 0.01). */
    static final long MAX_RATIO = 100;

    /** No document's entries inflate to more than this in all. */
    static final long MAX_TOTAL = 1L << 30;

    private static final byte[] SIGNATURE = {'P', 'K', 3, 4};

    private ZipExpansion() {
    }

    /** Whether the file starts like a ZIP archive. */
    static boolean isZip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(SIGNATURE.length);
            return Arrays.equals(head, SIGNATURE);
        }
    }

    /** Refuses the archive when an entry expands as described above; reads each entry once, keeping nothing. */
    static void check(Path file) throws UnreadableDocument, IOException {
        check(file, MAX_TOTAL);
    }

    /** As {@link #check(Path)} with another bound on all entries together. */
    static void check(Path file, long maxTotal) throws UnreadableDocument, IOException {
        ZipFile zip;
        try {
            zip = new ZipFile(file.toFile());
        }
        catch (ZipException ex) {
            return;
        }
        try (zip) {
            byte[] sink = new byte[64 * 1024];
            long total = 0;
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                if (entry.isDirectory()) {
                    continue;
                }
                long compressed = Math.max(1, entry.getCompressedSize());
                long declared = entry.getSize();
                long inflated = 0;
                try (InputStream in = zip.getInputStream(entry)) {
                    for (int read; (read = in.read(sink)) > 0;) {
                        inflated += read;
                        total += read;
                        if (total > maxTotal || (inflated > GRACE && inflated > compressed * MAX_RATIO)
                                || (declared >= 0 && inflated > declared)) {
                            throw new UnreadableDocument("The file expands to far more than it stores (a compression bomb?) and was "
                                    + "refused.");
                        }
                    }
                }
                catch (ZipException ex) {
                    return;
                }
            }
        }
    }
}
