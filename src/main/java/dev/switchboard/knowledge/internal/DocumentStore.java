package dev.switchboard.knowledge.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.switchboard.knowledge.internal.originals.OriginalStore;
import dev.switchboard.shared.DataDirectory;

/**
 * The originals of uploaded documents, by content per tenant: an upload is received into a temporary file under
 * {@code <data-dir>/documents/incoming} (counted and hashed as it arrives, its type detected from it), then kept in
 * the {@link OriginalStore} every replica reads. A file's name (only in the database) never becomes a path.
 * <p>
 * Originals of earlier versions lie under {@code <data-dir>/documents/<tenant>/<sha256[0..2]>/<sha256>} on the disk of
 * the replica that received them; {@link LegacyOriginals} moves them into the store at start-up, and a read that
 * finds an original only there moves it first.
 */
@Component
public class DocumentStore {

    private static final Logger log = LoggerFactory.getLogger(DocumentStore.class);

    /** A received upload, not yet kept. */
    public record Received(Path file, String sha256, long size) {
    }

    /** The upload went over the limit; nothing was kept. */
    public static final class TooLarge extends Exception {

        public TooLarge() {
            super(null, null, false, false);
        }
    }

    private final OriginalStore originals;
    private final Path legacyRoot;
    private final Path incoming;

    DocumentStore(OriginalStore originals, DataDirectory dataDirectory) {
        this.originals = originals;
        this.legacyRoot = dataDirectory.directory("documents");
        this.incoming = dataDirectory.directory("documents/incoming");
    }

    /** Copies the stream to a temporary file, at most {@code maxBytes}; deletes it and throws when over. */
    public Received receive(InputStream in, long maxBytes) throws IOException, TooLarge {
        Path file = Files.createTempFile(incoming, "upload-", ".part");
        MessageDigest sha256 = sha256();
        long size = 0;
        try (DigestInputStream digesting = new DigestInputStream(in, sha256); OutputStream out = Files.newOutputStream(file)) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = digesting.read(buffer)) > 0;) {
                size += n;
                if (size > maxBytes) {
                    throw new TooLarge();
                }
                out.write(buffer, 0, n);
            }
        }
        catch (IOException | TooLarge | RuntimeException ex) {
            Files.deleteIfExists(file);
            throw ex;
        }
        return new Received(file, HexFormat.of().formatHex(sha256.digest()), size);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** Keeps a received file as the tenant's copy of its content (once per content), and removes the temporary file. */
    public void keep(Received received, UUID tenantId) throws IOException {
        try {
            originals.keep(tenantId, checked(received.sha256()), received.file());
        }
        finally {
            Files.deleteIfExists(received.file());
        }
    }

    public void discard(Received received) throws IOException {
        Files.deleteIfExists(received.file());
    }

    /** The tenant's original with this content, moved from this replica's disk first if it is only there. */
    public Optional<OriginalStore.StoredOriginal> find(UUID tenantId, String sha256) throws IOException {
        Optional<OriginalStore.StoredOriginal> stored = originals.find(tenantId, checked(sha256));
        if (stored.isPresent()) {
            return stored;
        }
        // Moved here, or by a concurrent reader (or the start-up move) in the meantime.
        moveFromDisk(tenantId, sha256);
        return originals.find(tenantId, sha256);
    }

    /**
     * A copy of the original in a temporary file, for the parsers (which need a file); the caller deletes it.
     * Empty when the original is not kept.
     */
    public Optional<Path> copyToTemporaryFile(UUID tenantId, String sha256) throws IOException {
        Optional<OriginalStore.StoredOriginal> stored = find(tenantId, sha256);
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        Path file = Files.createTempFile(incoming, "original-", ".tmp");
        try (InputStream in = stored.get().open()) {
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        }
        catch (IOException | RuntimeException ex) {
            Files.deleteIfExists(file);
            throw ex;
        }
        return Optional.of(file);
    }

    public void delete(UUID tenantId, String sha256) throws IOException {
        originals.delete(tenantId, checked(sha256));
        Files.deleteIfExists(legacyPath(tenantId, sha256));
    }

    /**
     * Moves an original of an earlier version from this replica's disk into the store (checking its content against
     * its name), then deletes the file.
     *
     * @return whether there was one to move
     */
    boolean moveFromDisk(UUID tenantId, String sha256) throws IOException {
        Path file = legacyPath(tenantId, sha256);
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try {
            MessageDigest digest = sha256();
            try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
                in.transferTo(OutputStream.nullOutputStream());
            }
            if (!HexFormat.of().formatHex(digest.digest()).equals(sha256)) {
                log.warn("The stored original {} of tenant {} does not have the content its name says; it is left where it is", file,
                        tenantId);
                return false;
            }
            originals.keep(tenantId, sha256, file);
        }
        catch (NoSuchFileException ex) {
            // Another reader moved it first.
            return false;
        }
        Files.deleteIfExists(file);
        log.info("Moved the original {} of tenant {} from the data directory into the database", sha256, tenantId);
        return true;
    }

    Path legacyRoot() {
        return legacyRoot;
    }

    private Path legacyPath(UUID tenantId, String sha256) {
        return legacyRoot.resolve(tenantId.toString()).resolve(checked(sha256).substring(0, 2)).resolve(sha256);
    }

    private static String checked(String sha256) {
        if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("not a SHA-256");
        }
        return sha256;
    }
}
