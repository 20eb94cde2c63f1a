package dev.switchboard.knowledge.internal.ingestion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

import dev.switchboard.knowledge.internal.DocumentStore;
import dev.switchboard.knowledge.internal.KnowledgeProperties;
import dev.switchboard.knowledge.internal.embedding.Embedder;
import dev.switchboard.knowledge.internal.index.ChunkHit;
import dev.switchboard.knowledge.internal.index.ChunkIndex;
import dev.switchboard.knowledge.internal.index.IndexFollower;
import dev.switchboard.knowledge.internal.index.IndexedChunk;
import dev.switchboard.knowledge.internal.index.LuceneChunkIndex;
import dev.switchboard.knowledge.internal.index.Vectors;
import dev.switchboard.support.Accounts.Session;
import dev.switchboard.support.ApiTestSupport;
import dev.switchboard.support.HttpTestClient;
import dev.switchboard.support.IntegrationTest;
import dev.switchboard.support.SchemaOwner;
import dev.switchboard.support.Uploads;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import tools.jackson.databind.JsonNode;

/**
 * A failed ingestion and the index follower, interleaved step by step rather than by timing: a look of the follower
 * right after each removal of the document from the index (the look that, before the fix, put the rows back between
 * the removal and the deletion of the rows) leaves nothing of the document once it shows {@code failed}; and an index
 * that has not followed the failure yet (another replica's) does not make it searchable.
 */
@IntegrationTest
class FailedIngestionFollowedIntegrationTests extends ApiTestSupport {

    static final String HANDBOOK = "# Employee handbook\n\n## Holidays\n\nEvery employee has 27 days of paid holiday a year.\n\n"
            + "## Travel\n\nTrain tickets are refunded within ten working days of the journey.\n";

    @Autowired
    JdbcClient jdbcClient;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    PlatformTransactionManager transactionManager;

    @Autowired
    DocumentStore store;

    @Autowired
    Chunking chunking;

    @Autowired
    Embedder embedder;

    @Autowired
    KnowledgeProperties properties;

    @Autowired
    IndexState indexState;

    @Autowired
    ChunkIndex served;

    Path directory;
    LuceneChunkIndex replica;
    IndexFollower follower;
    Session admin;
    UUID kb;

    @BeforeEach
    void setUp() throws IOException {
        directory = Files.createTempDirectory("switchboard-failed-followed-");
        replica = new LuceneChunkIndex(directory);
        follower = new IndexFollower(replica, jdbcClient, transactionManager, Duration.ofSeconds(1));
        admin = accounts.newTenantAdmin();
        kb = UUID.fromString(HttpTestClient.json(accounts.send(admin, "POST", "/api/knowledge-bases", "{\"name\":\"Failing\"}"))
                .path("id").asString());
    }

    @AfterEach
    void tearDown() throws IOException {
        replica.close();
    }

    @Test
    void aLookOfTheFollowerAfterEachRemovalLeavesNothingOfAFailedDocument() {
        UUID document = indexed("handbook.md", HANDBOOK);
        followUntil(document, rows(document));
        assertThat(search("paid holiday")).as("found before it fails").isNotEmpty();
        List<IndexedChunk> stale = storedChunks(document);

        // Its last run wrote chunk rows the follower has not read yet, then died with the process with its attempts spent:
        // the next run marks it failed without parsing again.
        SchemaOwner.update(jdbc, "update knowledge_documents set status = 'embedding', attempts = " + properties.maxAttempts()
                + " where id = '" + document + "'; update knowledge_chunks set text = text where document_id = '" + document + "'");
        pipeline(new FollowedAfterEachRemoval()).ingest(admin.tenantId(), document);

        assertThat(SchemaOwner.strings(jdbc, "select status from knowledge_documents where id = '" + document + "'")).containsExactly(
                "failed");
        assertThat(rows(document)).isZero();
        assertThat(replica.countDocumentChunks(admin.tenantId(), document)).as("chunks in the index once it shows failed").isZero();

        // The served index, as another replica's that has not followed the failure yet, still holds its chunks: not found.
        await().atMost(Duration.ofSeconds(30)).until(() -> served.countDocumentChunks(admin.tenantId(), document) == 0);
        served.upsert(stale);
        try {
            assertThat(served.countDocumentChunks(admin.tenantId(), document)).isEqualTo(stale.size());
            assertThat(search("paid holiday")).as("search through an index behind the database").isEmpty();
        }
        finally {
            served.deleteDocument(admin.tenantId(), document);
        }
    }

    /** The replica's index, with a follower's look right after each removal that catches up with the rows as they are. */
    final class FollowedAfterEachRemoval implements ChunkIndex {

        @Override
        public void deleteDocument(UUID tenantId, UUID documentId) {
            replica.deleteDocument(tenantId, documentId);
            followUntil(documentId, rows(documentId));
        }

        @Override
        public void upsert(List<IndexedChunk> chunks) {
            replica.upsert(chunks);
        }

        @Override
        public void deleteChunksNotEmbeddedBy(String model) {
            replica.deleteChunksNotEmbeddedBy(model);
        }

        @Override
        public List<ChunkHit> lexical(UUID tenantId, Set<UUID> knowledgeBaseIds, String query, int limit) {
            return replica.lexical(tenantId, knowledgeBaseIds, query, limit);
        }

        @Override
        public List<ChunkHit> dense(UUID tenantId, Set<UUID> knowledgeBaseIds, String model, float[] queryVector, int limit) {
            return replica.dense(tenantId, knowledgeBaseIds, model, queryVector, limit);
        }

        @Override
        public boolean isEmpty() {
            return replica.isEmpty();
        }

        @Override
        public int countDocumentChunks(UUID tenantId, UUID documentId) {
            return replica.countDocumentChunks(tenantId, documentId);
        }
    }

    private IngestionPipeline pipeline(ChunkIndex index) {
        return new IngestionPipeline(jdbcClient, transactionManager, store, chunking, embedder, index, properties,
                new SimpleMeterRegistry(), indexState);
    }

    private void followUntil(UUID document, int chunks) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
            follower.followOnce();
            return replica.countDocumentChunks(admin.tenantId(), document) == chunks;
        });
    }

    private int rows(UUID document) {
        return Integer.parseInt(SchemaOwner.strings(jdbc, "select count(*) from knowledge_chunks where document_id = '" + document
                + "'").getFirst());
    }

    private List<IndexedChunk> storedChunks(UUID document) {
        return SchemaOwner.query(jdbc, "select c.id, c.ordinal, c.location, c.text, c.embedding_model, c.embedding, d.name from "
                + "knowledge_chunks c join knowledge_documents d on d.id = c.document_id where c.document_id = '" + document + "'",
                rows -> {
                    List<IndexedChunk> chunks = new ArrayList<>();
                    while (rows.next()) {
                        chunks.add(new IndexedChunk(admin.tenantId(), kb, document, rows.getString("name"), rows.getObject("id",
                                UUID.class), rows.getInt("ordinal"), rows.getString("location"), rows.getString("text"), rows.getString(
                                        "embedding_model"), Vectors.fromBytes(rows.getBytes("embedding"))));
                    }
                    return chunks;
                });
    }

    private JsonNode search(String query) {
        return HttpTestClient.json(accounts.send(admin, "POST", "/api/knowledge/search", "{\"query\":\"" + query
                + "\",\"knowledgeBaseIds\":[\"" + kb + "\"]}")).path("results");
    }

    private UUID indexed(String name, String text) {
        UUID id = UUID.fromString(HttpTestClient.json(Uploads.document(http, admin.bearer(), kb.toString(), name,
                text.getBytes(StandardCharsets.UTF_8))).path("id").asString());
        await().atMost(Duration.ofSeconds(180)).until(() -> HttpTestClient.json(accounts.send(admin, "GET", "/api/documents/" + id, null))
                .path("status").asString().equals("indexed"));
        return id;
    }
}
