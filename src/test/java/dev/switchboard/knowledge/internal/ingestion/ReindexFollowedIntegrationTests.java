package dev.switchboard.knowledge.internal.ingestion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

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
import dev.switchboard.support.Accounts.Session;
import dev.switchboard.support.ApiTestSupport;
import dev.switchboard.support.HttpTestClient;
import dev.switchboard.support.IntegrationTest;
import dev.switchboard.support.SchemaOwner;
import dev.switchboard.support.Uploads;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * A re-index and the index follower of the replica that runs its job, interleaved step by step rather than by timing:
 * the follower's look that applies the re-index's tombstone (for the old chunks, whose ids the new ones share) starts
 * right after the job wrote the new chunks to the index and before it recorded them. Once the job is done, the document
 * is in that index with all its chunks, without waiting for another look (before the fix the look removed the new
 * chunks and found no rows to write back until its next look).
 */
@IntegrationTest
class ReindexFollowedIntegrationTests extends ApiTestSupport {

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

    Path directory;
    LuceneChunkIndex replica;
    IndexFollower follower;
    Session admin;
    UUID kb;

    @BeforeEach
    void setUp() throws IOException {
        directory = Files.createTempDirectory("switchboard-reindex-followed-");
        replica = new LuceneChunkIndex(directory);
        follower = new IndexFollower(replica, jdbcClient, transactionManager, Duration.ofSeconds(1));
        admin = accounts.newTenantAdmin();
        kb = UUID.fromString(HttpTestClient.json(accounts.send(admin, "POST", "/api/knowledge-bases", "{\"name\":\"Reindexed\"}"))
                .path("id").asString());
    }

    @AfterEach
    void tearDown() throws IOException {
        replica.close();
    }

    @Test
    void aLookOfTheFollowerBetweenTheJobsIndexWriteAndItsRecordLeavesTheDocumentSearchable() throws Exception {
        UUID document = indexed("handbook.md", FailedIngestionFollowedIntegrationTests.HANDBOOK);
        int chunks = rows(document);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
            follower.followOnce();
            return replica.countDocumentChunks(admin.tenantId(), document) == chunks;
        });

        // What POST /api/documents/{id}/reindex commits: the chunk rows go (a tombstone) and the document is queued again.
        SchemaOwner.update(jdbc, "delete from knowledge_chunks where document_id = '" + document + "'; update knowledge_documents "
                + "set status = 'queued', error = null, chunks_total = null, chunks_done = 0, attempts = 0 where id = '" + document + "'");
        long tombstone = Long.parseLong(SchemaOwner.strings(jdbc, "select max(deleted_xid)::text from knowledge_index_tombstones "
                + "where document_id = '" + document + "'").getFirst());
        // The horizon passes it (no transaction older than it still runs), so the next look applies it.
        await().atMost(Duration.ofSeconds(30)).until(() -> Long.parseLong(SchemaOwner.strings(jdbc,
                "select pg_snapshot_xmin(pg_current_snapshot())::text").getFirst()) > tombstone);
        // A chunk of the document only the tombstone removes: gone once the look applied it.
        IndexedChunk leftOver = new IndexedChunk(admin.tenantId(), kb, document, "handbook.md", UUID.randomUUID(), 99, "", "left over",
                "test:left-over", new float[] {1, 0, 0, 0});
        replica.upsert(List.of(leftOver));

        LookBeforeRecording index = new LookBeforeRecording();
        new IngestionPipeline(jdbcClient, transactionManager, store, chunking, embedder, index, properties, new SimpleMeterRegistry(),
                indexState).ingest(admin.tenantId(), document);
        index.look.get().join(Duration.ofSeconds(30));

        assertThat(index.look.get().isAlive()).as("the look ended").isFalse();
        assertThat(SchemaOwner.strings(jdbc, "select status from knowledge_documents where id = '" + document + "'"))
                .containsExactly("indexed");
        assertThat(rows(document)).isEqualTo(chunks);
        assertThat(replica.countDocumentChunks(admin.tenantId(), document)).as("the re-indexed chunks in the index, the left-over "
                + "one removed").isEqualTo(chunks);
        assertThat(replica.lexical(admin.tenantId(), Set.of(kb), "paid holiday", 3)).extracting(ChunkHit::documentId)
                .containsOnly(document).isNotEmpty();
    }

    /** The replica's index, with a look of the follower started after the job's index write, before its record. */
    final class LookBeforeRecording implements ChunkIndex {

        final AtomicReference<Thread> look = new AtomicReference<>();

        @Override
        public <T> T upsertThenRecord(List<IndexedChunk> chunks, Supplier<T> record) {
            return replica.upsertThenRecord(chunks, () -> {
                if (look.get() == null) {
                    look.set(Thread.ofPlatform().name("follower-look").start(follower::followOnce));
                    // The look runs to its end, or waits for the record (it must not take the chunks just written).
                    await().atMost(Duration.ofSeconds(30)).until(() -> !look.get().isAlive() || look.get()
                            .getState() == Thread.State.WAITING);
                }
                return record.get();
            });
        }

        @Override
        public void upsert(List<IndexedChunk> chunks) {
            replica.upsert(chunks);
        }

        @Override
        public void deleteDocument(UUID tenantId, UUID documentId) {
            replica.deleteDocument(tenantId, documentId);
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

    private int rows(UUID document) {
        return Integer.parseInt(SchemaOwner.strings(jdbc, "select count(*) from knowledge_chunks where document_id = '" + document
                + "'").getFirst());
    }

    private UUID indexed(String name, String text) {
        UUID id = UUID.fromString(HttpTestClient.json(Uploads.document(http, admin.bearer(), kb.toString(), name,
                text.getBytes(StandardCharsets.UTF_8))).path("id").asString());
        await().atMost(Duration.ofSeconds(180)).until(() -> HttpTestClient.json(accounts.send(admin, "GET", "/api/documents/" + id, null))
                .path("status").asString().equals("indexed"));
        return id;
    }
}
