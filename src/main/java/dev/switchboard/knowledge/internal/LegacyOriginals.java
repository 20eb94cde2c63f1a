package dev.switchboard.knowledge.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.switchboard.tenancy.TenantContext;

/**
 * The upgrade of originals kept on a replica's disk by earlier versions ({@code <data-dir>/documents/<tenant>/<xx>/<sha256>}):
 * once the application is ready, every such file a document still refers to is moved into the database, in the
 * background (a read that needs one before it was moved moves it itself: {@link DocumentStore#find}). Files no document
 * refers to are left alone and named in the log.
 */
@Component
class LegacyOriginals {

    private static final Logger log = LoggerFactory.getLogger(LegacyOriginals.class);

    private final DocumentStore store;
    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;

    LegacyOriginals(DocumentStore store, JdbcClient jdbc, PlatformTransactionManager transactionManager) {
        this.store = store;
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactionManager);
    }

    @EventListener(ApplicationReadyEvent.class)
    void moveInBackground() {
        Thread.ofVirtual().name("legacy-originals").start(this::moveAll);
    }

    /** Moves every referenced original found on this replica's disk into the store; returns how many were moved. */
    int moveAll() {
        int moved = 0;
        try (Stream<Path> files = Files.find(store.legacyRoot(), 3, (path, attributes) -> attributes.isRegularFile())) {
            for (Path file : files.toList()) {
                if (move(file)) {
                    moved++;
                }
            }
        }
        catch (IOException | RuntimeException ex) {
            log.warn("Moving originals from the data directory into the database stopped ({}); the rest are moved when read "
                    + "or at the next start", ex.toString());
        }
        if (moved > 0) {
            log.info("Moved {} originals from the data directory into the database", moved);
        }
        return moved;
    }

    private boolean move(Path file) throws IOException {
        Path relative = store.legacyRoot().relativize(file);
        if (relative.getNameCount() != 3 || !relative.getName(2).toString().matches("[0-9a-f]{64}")
                || !relative.getName(0).toString().matches("[0-9a-f-]{36}")) {
            return false;
        }
        UUID tenant = UUID.fromString(relative.getName(0).toString());
        String sha256 = relative.getName(2).toString();
        boolean referenced = Boolean.TRUE.equals(TenantContext.callAs(tenant, () -> transactions.execute(status -> jdbc.sql(
                "select exists (select 1 from knowledge_documents where sha256 = :sha)").param("sha", sha256).query(Boolean.class)
                .single())));
        if (!referenced) {
            log.info("The original {} of tenant {} in the data directory belongs to no document; it is left there", sha256, tenant);
            return false;
        }
        return store.moveFromDisk(tenant, sha256);
    }
}
