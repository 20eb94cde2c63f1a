package dev.switchboard.knowledge.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

import dev.switchboard.knowledge.KnowledgeDocument;
import dev.switchboard.knowledge.internal.index.ChunkIndex;
import dev.switchboard.knowledge.internal.ingestion.IngestionQueue;
import dev.switchboard.knowledge.internal.parsing.DocumentTypes;
import dev.switchboard.shared.SwitchboardException;
import dev.switchboard.tenancy.TenantContext;

/**
 * Documents of the current tenant: upload (stored by content, type detected from content, queued for
 * ingestion in the same transaction as its row), status, listing and deletion (row, chunks, vectors and, when
 * no other document shares it, the original).
 */
@Service
public class Documents {

    /** An accepted upload: the document, and whether it was already there (an identical earlier upload). */
    public record Upload(KnowledgeDocument document, boolean duplicate) {
    }

    private final JdbcClient jdbc;
    private final DocumentStore store;
    private final KnowledgeBases bases;
    private final IngestionQueue queue;
    private final ChunkIndex index;
    private final KnowledgeProperties properties;
    private final TransactionTemplate transactions;

    Documents(JdbcClient jdbc, DocumentStore store, KnowledgeBases bases, IngestionQueue queue, ChunkIndex index,
            KnowledgeProperties properties, PlatformTransactionManager transactionManager) {
        this.jdbc = jdbc;
        this.store = store;
        this.bases = bases;
        this.queue = queue;
        this.index = index;
        this.properties = properties;
        this.transactions = new TransactionTemplate(transactionManager);
    }

    /**
     * Receives the upload (counted and hashed as it arrives), then, in as few transactions as it takes: the knowledge base
     * exists and whether it already holds this content (a duplicate is answered without detecting its type again); the
     * type is detected from the content; the original, the document row and its job are written in one transaction, so
     * that the original is kept exactly when the document is, before the answer.
     */
    public Upload upload(UUID knowledgeBaseId, String originalName, InputStream content) throws IOException {
        String name = sanitizedName(originalName);
        DocumentStore.Received received;
        try {
            received = store.receive(content, properties.maxUpload().toBytes());
        }
        catch (DocumentStore.TooLarge ex) {
            throw new SwitchboardException(HttpStatus.CONTENT_TOO_LARGE, "payload-too-large", "The file is larger than the "
                    + "limit of " + properties.maxUpload().toMegabytes() + " MB (switchboard.knowledge.max-upload).");
        }
        try {
            Optional<KnowledgeDocument> existing = transactions.execute(status -> {
                bases.require(knowledgeBaseId);
                return sameContent(knowledgeBaseId, received.sha256());
            });
            if (existing.isPresent()) {
                return new Upload(existing.get(), true);
            }
            Optional<String> mediaType = DocumentTypes.detect(received.file(), name);
            if (mediaType.isEmpty()) {
                throw new SwitchboardException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-document-type", "This kind of "
                        + "file cannot be indexed. Supported: " + String.join(", ", DocumentTypes.SUPPORTED.values().stream().sorted()
                                .toList())
                        + ".");
            }
            KnowledgeDocument document = insert(knowledgeBaseId, name, mediaType.get(), received);
            if (document == null) {
                // Uploaded at the same moment by someone else: theirs is the document.
                return new Upload(transactions.execute(status -> sameContent(knowledgeBaseId, received.sha256()).orElseThrow()), true);
            }
            return new Upload(document, false);
        }
        finally {
            store.discard(received);
        }
    }

    /** The original, the document's row and its job, in one transaction: null when the same content won a race meanwhile. */
    private KnowledgeDocument insert(UUID knowledgeBaseId, String name, String mediaType, DocumentStore.Received received)
            throws IOException {
        UUID tenant = TenantContext.require();
        try {
            return transactions.execute(status -> {
                try {
                    store.keep(received, tenant);
                }
                catch (IOException ex) {
                    throw new UncheckedIOException(ex);
                }
                KnowledgeDocument inserted = jdbc.sql("insert into knowledge_documents (tenant_id, knowledge_base_id, name, media_type, "
                        + "size_bytes, sha256, status) values (:tenant, :kb, :name, :type, :size, :sha, 'queued') "
                        + "on conflict (knowledge_base_id, sha256) do nothing returning *")
                        .param("tenant", tenant).param("kb", knowledgeBaseId).param("name", name).param("type", mediaType)
                        .param("size", received.size()).param("sha", received.sha256())
                        .query(Documents::document).optional().orElse(null);
                if (inserted != null) {
                    queue.enqueue(tenant, inserted.id());
                }
                return inserted;
            });
        }
        catch (UncheckedIOException ex) {
            throw ex.getCause();
        }
    }

    private Optional<KnowledgeDocument> sameContent(UUID knowledgeBaseId, String sha256) {
        return jdbc.sql("select * from knowledge_documents where knowledge_base_id = :kb and sha256 = :sha")
                .param("kb", knowledgeBaseId).param("sha", sha256).query(Documents::document).optional();
    }

    @Transactional(readOnly = true)
    public Optional<KnowledgeDocument> find(UUID id) {
        return jdbc.sql("select * from knowledge_documents where id = :id").param("id", id).query(Documents::document).optional();
    }

    @Transactional(readOnly = true)
    public KnowledgeDocument require(UUID id) {
        return find(id).orElseThrow(() -> new SwitchboardException(HttpStatus.NOT_FOUND, "not-found", "There is no document " + id + "."));
    }

    /**
     * A page of a knowledge base's documents, newest first: at most {@code limit} after the document
     * ({@code beforeCreated}, {@code beforeId}) that ended the previous page (both null for the first page).
     */
    @Transactional(readOnly = true)
    public List<KnowledgeDocument> page(UUID knowledgeBaseId, Instant beforeCreated, UUID beforeId, int limit) {
        bases.require(knowledgeBaseId);
        return jdbc.sql("select * from knowledge_documents where knowledge_base_id = :kb "
                + "and (cast(:at as timestamptz) is null or (created_at, id) < (:at, :id)) "
                + "order by created_at desc, id desc limit :limit")
                .param("kb", knowledgeBaseId).param("at", beforeCreated == null ? null : Timestamp.from(beforeCreated))
                .param("id", beforeId == null ? new UUID(0, 0) : beforeId).param("limit", limit)
                .query(Documents::document).list();
    }

    /**
     * Ingests the document again from its original (after a parser or chunking change, or a failure whose cause is
     * gone): its chunks and vectors are removed and it is queued as if just uploaded. A document still being
     * ingested is refused (409): its running job would race the new one.
     */
    public KnowledgeDocument reingest(UUID id) {
        UUID tenant = TenantContext.require();
        requireSettled(transactions.execute(status -> require(id)));
        // Out of the index before the job is queued: once queued, a worker may write the new chunks at any moment.
        index.deleteDocument(tenant, id);
        return transactions.execute(status -> {
            KnowledgeDocument found = jdbc.sql("select * from knowledge_documents where id = :id for update").param("id", id)
                    .query(Documents::document).optional()
                    .orElseThrow(() -> new SwitchboardException(HttpStatus.NOT_FOUND, "not-found", "There is no document " + id + "."));
            requireSettled(found);
            jdbc.sql("delete from knowledge_chunks where document_id = :id").param("id", id).update();
            KnowledgeDocument reset = jdbc.sql("update knowledge_documents set status = 'queued', error = null, chunks_total = null, "
                    + "chunks_done = 0, attempts = 0, updated_at = now() where id = :id returning *").param("id", id)
                    .query(Documents::document).single();
            queue.enqueue(tenant, id);
            return reset;
        });
    }

    private static void requireSettled(KnowledgeDocument document) {
        if (!document.status().equals(KnowledgeDocument.INDEXED) && !document.status().equals(KnowledgeDocument.FAILED)) {
            throw new SwitchboardException(HttpStatus.CONFLICT, "conflict", "Document " + document.id() + " is being "
                    + "ingested (" + document.status() + "); re-index it once it is indexed or failed.");
        }
    }

    /** Removes the document, its chunks and vectors, and its original unless another document has the same content. */
    public void delete(UUID id) throws IOException {
        UUID tenant = TenantContext.require();
        KnowledgeDocument document = transactions.execute(status -> {
            KnowledgeDocument found = require(id);
            jdbc.sql("delete from knowledge_documents where id = :id").param("id", id).update();
            return found;
        });
        index.deleteDocument(tenant, id);
        deleteOriginalIfUnused(tenant, document.sha256());
    }

    /** Removes a knowledge base with every document in it. */
    public void deleteKnowledgeBase(UUID knowledgeBaseId) throws IOException {
        UUID tenant = TenantContext.require();
        List<KnowledgeDocument> documents = transactions.execute(status -> {
            bases.require(knowledgeBaseId);
            List<KnowledgeDocument> all = jdbc.sql("select * from knowledge_documents where knowledge_base_id = :kb")
                    .param("kb", knowledgeBaseId).query(Documents::document).list();
            jdbc.sql("delete from knowledge_bases where id = :kb").param("kb", knowledgeBaseId).update();
            return all;
        });
        for (KnowledgeDocument document : documents) {
            index.deleteDocument(tenant, document.id());
            deleteOriginalIfUnused(tenant, document.sha256());
        }
    }

    private void deleteOriginalIfUnused(UUID tenant, String sha256) throws IOException {
        Boolean used = transactions.execute(status -> jdbc.sql("select exists (select 1 from knowledge_documents where sha256 = :sha)")
                .param("sha", sha256).query(Boolean.class).single());
        if (!Boolean.TRUE.equals(used)) {
            store.delete(tenant, sha256);
        }
    }

    /** A file name fit to show: no path, no control characters, at most 255 characters. */
    static String sanitizedName(String original) {
        String name = original == null ? "" : original.replace('\\', '/');
        name = name.substring(name.lastIndexOf('/') + 1);
        name = name.replaceAll("[\\p{Cntrl}\\p{Cf}]", "").strip();
        while (name.startsWith(".")) {
            name = name.substring(1);
        }
        if (name.isBlank()) {
            name = "document";
        }
        return name.length() <= 255 ? name : name.substring(0, 255);
    }

    static KnowledgeDocument document(ResultSet rs, int row) throws SQLException {
        Object total = rs.getObject("chunks_total");
        return new KnowledgeDocument(rs.getObject("id", UUID.class), rs.getObject("knowledge_base_id", UUID.class),
                rs.getString("name"), rs.getString("media_type"), rs.getLong("size_bytes"), rs.getString("sha256"),
                rs.getString("status"), total == null ? null : ((Number) total).intValue(), rs.getInt("chunks_done"),
                rs.getString("error"), instant(rs.getTimestamp("created_at")), instant(rs.getTimestamp("updated_at")));
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
