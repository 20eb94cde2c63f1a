package dev.switchboard.knowledge.internal.originals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;

/**
 * Where the originals of uploaded documents are kept, by content per tenant ({@code tenant}, SHA-256), readable by
 * every replica. One implementation today, {@link PostgresOriginalStore} (in the application's database); an
 * S3-compatible store would be another. Implementations stream: neither keeping nor reading an original holds the
 * whole file in memory.
 */
public interface OriginalStore {

    /** A kept original: its size, and a stream of its bytes (the caller closes it). */
    interface StoredOriginal {

        long size();

        InputStream open() throws IOException;
    }

    /** Keeps the file's bytes as the tenant's original with this content; keeping the same content again does nothing. */
    void keep(UUID tenantId, String sha256, Path file) throws IOException;

    /** The tenant's original with this content, if kept. */
    Optional<StoredOriginal> find(UUID tenantId, String sha256);

    /** Removes the tenant's original with this content, if kept. */
    void delete(UUID tenantId, String sha256);
}
