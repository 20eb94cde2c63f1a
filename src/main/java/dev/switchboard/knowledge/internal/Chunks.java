package dev.switchboard.knowledge.internal;

import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.springframework.core.io.InputStreamResource;
import org.springframework.core.io.Resource;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.switchboard.knowledge.KnowledgeDocument;
import dev.switchboard.knowledge.internal.originals.OriginalStore;
import dev.switchboard.shared.SwitchboardException;
import dev.switchboard.tenancy.TenantContext;

/**
 * What a citation points at, readable by the people who got it: a chunk by its id, a document's chunks in order,
 * and the original file. Read from the chunk rows (the record of what the index holds), so a citation can be
 * checked against exactly the text the model was given. Tenant-scoped by row-level security.
 */
@Service
public class Chunks {

    /** A stored chunk with the document it belongs to. */
    public record StoredChunk(UUID chunkId, UUID documentId, String documentName, UUID knowledgeBaseId, int ordinal,
            String location, String text) {
    }

    /** A page of a document's chunks; {@code nextAfter} is the ordinal to continue after, or null at the end. */
    public record ChunkPage(List<StoredChunk> chunks, Integer nextAfter) {
    }

    /** The original of a document: its bytes (streamed from the store as they are read), and what to call it. */
    public record Original(Resource content, String name, String mediaType, long size) {
    }

    private static final String SELECT = "select c.id, c.document_id, d.name, d.knowledge_base_id, c.ordinal, c.location, c.text "
            + "from knowledge_chunks c join knowledge_documents d on d.id = c.document_id ";

    private final JdbcClient jdbc;
    private final Documents documents;
    private final DocumentStore store;

    Chunks(JdbcClient jdbc, Documents documents, DocumentStore store) {
        this.jdbc = jdbc;
        this.documents = documents;
        this.store = store;
    }

    @Transactional(readOnly = true)
    public StoredChunk require(UUID chunkId) {
        return jdbc.sql(SELECT + "where c.id = :id").param("id", chunkId).query(Chunks::chunk).optional()
                .orElseThrow(() -> new SwitchboardException(HttpStatus.NOT_FOUND, "not-found", "There is no chunk " + chunkId
                        + " (its document may have been deleted or re-ingested)."));
    }

    /** The stored chunks among these ids (those deleted or of other tenants are simply not there). */
    @Transactional(readOnly = true)
    public List<StoredChunk> find(Collection<UUID> chunkIds) {
        if (chunkIds.isEmpty()) {
            return List.of();
        }
        return jdbc.sql(SELECT + "where c.id = any(:ids)").param("ids", chunkIds.toArray(UUID[]::new)).query(Chunks::chunk).list();
    }

    /** Which of the knowledge bases and which of the chunks a search asked about exist in the tenant. */
    public record Existing(Set<UUID> knowledgeBaseIds, Set<UUID> chunkIds) {
    }

    /**
     * Which of these chunk ids have a row (those deleted or of other tenants do not), what a search checks its hits
     * against, reading the ids alone rather than the rows; and which of these knowledge bases exist. One statement: a
     * search's whole database work in one transaction.
     */
    @Transactional(readOnly = true)
    public Existing existing(Collection<UUID> knowledgeBaseIds, Collection<UUID> chunkIds) {
        Set<UUID> bases = new HashSet<>();
        Set<UUID> chunks = new HashSet<>();
        jdbc.sql("select id, true as base from knowledge_bases where id = any(:bases) union all "
                + "select id, false from knowledge_chunks where id = any(:ids)")
                .param("bases", knowledgeBaseIds.toArray(UUID[]::new)).param("ids", chunkIds.toArray(UUID[]::new))
                .query(rs -> {
                    (rs.getBoolean(2) ? bases : chunks).add(rs.getObject(1, UUID.class));
                });
        return new Existing(bases, chunks);
    }

    /** Chunks of a document with an ordinal above {@code after}, in order, at most {@code limit}. */
    @Transactional(readOnly = true)
    public ChunkPage page(UUID documentId, int after, int limit) {
        documents.require(documentId);
        List<StoredChunk> chunks = jdbc.sql(SELECT
                + "where c.document_id = :document and c.ordinal > :after order by c.ordinal limit :limit")
                .param("document", documentId).param("after", after).param("limit", limit + 1).query(Chunks::chunk).list();
        if (chunks.size() <= limit) {
            return new ChunkPage(chunks, null);
        }
        List<StoredChunk> page = chunks.subList(0, limit);
        return new ChunkPage(List.copyOf(page), page.getLast().ordinal());
    }

    /** The uploaded file of a document, byte for byte. */
    public Original original(UUID documentId) throws IOException {
        KnowledgeDocument document = documents.require(documentId);
        OriginalStore.StoredOriginal stored = store.find(TenantContext.require(), document.sha256())
                .orElseThrow(() -> new SwitchboardException(HttpStatus.NOT_FOUND, "not-found", "The original of document " + documentId
                        + " is no longer stored."));
        Resource content = new InputStreamResource(stored::open, document.name()) {
            @Override
            public long contentLength() {
                return stored.size();
            }
        };
        return new Original(content, document.name(), document.mediaType(), stored.size());
    }

    private static StoredChunk chunk(ResultSet rs, int row) throws SQLException {
        return new StoredChunk(rs.getObject("id", UUID.class), rs.getObject("document_id", UUID.class), rs.getString("name"),
                rs.getObject("knowledge_base_id", UUID.class), rs.getInt("ordinal"), rs.getString("location"), rs.getString("text"));
    }
}
