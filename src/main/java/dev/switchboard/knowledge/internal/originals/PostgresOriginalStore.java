package dev.switchboard.knowledge.internal.originals;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.switchboard.tenancy.TenantContext;

/**
 * Originals in the application's PostgreSQL: a row per original ({@code knowledge_originals}) and its bytes in parts
 * of {@value #PART_SIZE} bytes ({@code knowledge_original_parts}, {@code bytea} stored without compression), under
 * row-level security like every tenant table. Written in one transaction, so an original is there whole or not at
 * all; read one part at a time, each in its own short transaction, so a download holds one part in memory and no
 * connection between parts.
 * <p>
 * Parts rather than large objects: {@code bytea} rows follow row-level security, {@code pg_dump} and the tenant's
 * cascade like the rest of the data, where large objects have no tenant and need their own clean-up.
 */
public final class PostgresOriginalStore implements OriginalStore {

    /** 1 MiB: the memory one reader or writer holds; a 25 MB upload is 25 rows. */
    static final int PART_SIZE = 1024 * 1024;

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;

    public PostgresOriginalStore(JdbcClient jdbc, PlatformTransactionManager transactionManager) {
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactionManager);
    }

    @Override
    public void keep(UUID tenantId, String sha256, Path file) throws IOException {
        long size = Files.size(file);
        try (InputStream in = Files.newInputStream(file)) {
            TenantContext.runAs(tenantId, () -> transactions.executeWithoutResult(status -> {
                int inserted = jdbc.sql("insert into knowledge_originals (tenant_id, sha256, size_bytes) values (:tenant, :sha, :size) "
                        + "on conflict do nothing").param("tenant", tenantId).param("sha", sha256).param("size", size).update();
                if (inserted == 0) {
                    return;
                }
                // No larger than the file: a one-paragraph upload allocated (and zeroed) a whole part, 1 MiB, for 2 KB.
                byte[] buffer = new byte[Math.clamp(size, 1, PART_SIZE)];
                try {
                    int part = 0;
                    for (int n; (n = in.readNBytes(buffer, 0, buffer.length)) > 0; part++) {
                        jdbc.sql(
                                "insert into knowledge_original_parts (tenant_id, sha256, part, bytes) values (:tenant, :sha, :part, :bytes)")
                                .param("tenant", tenantId).param("sha", sha256).param("part", part)
                                .param("bytes", n == buffer.length ? buffer : Arrays.copyOf(buffer, n)).update();
                    }
                }
                catch (IOException ex) {
                    throw new UncheckedIOException(ex);
                }
            }));
        }
        catch (UncheckedIOException ex) {
            throw ex.getCause();
        }
    }

    @Override
    public Optional<StoredOriginal> find(UUID tenantId, String sha256) {
        Optional<Long> size = TenantContext.callAs(tenantId, () -> transactions.execute(status -> jdbc.sql(
                "select size_bytes from knowledge_originals where tenant_id = :tenant and sha256 = :sha")
                .param("tenant", tenantId).param("sha", sha256).query(Long.class).optional()));
        return size.map(bytes -> new StoredOriginal() {
            @Override
            public long size() {
                return bytes;
            }

            @Override
            public InputStream open() {
                return new PartsInputStream(part -> part(tenantId, sha256, part));
            }
        });
    }

    private Optional<byte[]> part(UUID tenantId, String sha256, int part) {
        return TenantContext.callAs(tenantId, () -> transactions.execute(status -> jdbc.sql(
                "select bytes from knowledge_original_parts where tenant_id = :tenant and sha256 = :sha and part = :part")
                .param("tenant", tenantId).param("sha", sha256).param("part", part).query(byte[].class).optional()));
    }

    @Override
    public void delete(UUID tenantId, String sha256) {
        TenantContext.runAs(tenantId, () -> transactions.executeWithoutResult(status -> jdbc.sql(
                "delete from knowledge_originals where tenant_id = :tenant and sha256 = :sha")
                .param("tenant", tenantId).param("sha", sha256).update()));
    }
}
