package dev.switchboard.knowledge.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;

import org.springframework.stereotype.Component;

import dev.switchboard.shared.DataDirectory;

/**
 * The originals, under {@code <data-dir>/documents/<tenant>/<sha256[0..2]>/<sha256>}: stored by content, so a
 * file is kept once per tenant however often it is uploaded, and its name (only in the database) never
 * becomes a path. Uploads are received into a temporary file, counted and hashed as they arrive.
 */
@Component
public class DocumentStore {

    /** A received upload, not yet kept. */
    public record Received(Path file, String sha256, long size) {
    }

    /** The upload went over the limit; nothing was kept. */
    public static final class TooLarge extends Exception {

        public TooLarge() {
            super(null, null, false, false);
        }
    }

    private final Path root;
    private final Path incoming;

    DocumentStore(DataDirectory dataDirectory) {
        this.root = dataDirectory.directory("documents");
        this.incoming = dataDirectory.directory("documents/incoming");
    }

    /** Copies the stream to a temporary file, at most {@code maxBytes}; deletes it and throws when over. */
    public Received receive(InputStream in, long maxBytes) throws IOException, TooLarge {
        Path file = Files.createTempFile(incoming, "upload-", ".part");
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
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

    /** Keeps a received file as the tenant's copy of its content (once per content). */
    public Path keep(Received received, UUID tenantId) throws IOException {
        Path target = path(tenantId, received.sha256());
        Files.createDirectories(target.getParent());
        if (Files.exists(target)) {
            Files.deleteIfExists(received.file());
        }
        else {
            Files.move(received.file(), target, StandardCopyOption.ATOMIC_MOVE);
        }
        return target;
    }

    public void discard(Received received) throws IOException {
        Files.deleteIfExists(received.file());
    }

    public Path path(UUID tenantId, String sha256) {
        if (!sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("not a SHA-256");
        }
        return root.resolve(tenantId.toString()).resolve(sha256.substring(0, 2)).resolve(sha256);
    }

    public void delete(UUID tenantId, String sha256) throws IOException {
        Files.deleteIfExists(path(tenantId, sha256));
    }
}
