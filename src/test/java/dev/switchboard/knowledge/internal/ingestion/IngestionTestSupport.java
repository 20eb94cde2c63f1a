package dev.switchboard.knowledge.internal.ingestion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.ObjectProvider;
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
import dev.switchboard.support.SchemaOwner;
import dev.switchboard.support.Uploads;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * For {@link dev.switchboard.support.IntegrationTest} classes that run ingestions and index followers of their own
 * against the application's database: per test a tenant admin with a knowledge base, and a second replica's Lucene
 * index (in a directory of its own) with its follower; pipelines built from the application's parts around an index
 * the test chooses, and documents uploaded through the API.
 */
public abstract class IngestionTestSupport extends ApiTestSupport {

    @Autowired
    protected JdbcClient jdbcClient;

    @Autowired
    protected JdbcTemplate jdbc;

    @Autowired
    protected PlatformTransactionManager transactionManager;

    @Autowired
    protected KnowledgeProperties properties;

    @Autowired
    protected Embedder embedder;

    @Autowired
    DocumentStore store;

    @Autowired
    Chunking chunking;

    @Autowired
    IndexState indexState;

    @Autowired
    ObjectProvider<IndexFollower> servedFollower;

    protected Session admin;
    protected UUID kb;
    protected LuceneChunkIndex replica;
    protected IndexFollower follower;

    @BeforeEach
    void adminKnowledgeBaseAndReplica() throws IOException {
        admin = accounts.newTenantAdmin();
        kb = UUID.fromString(HttpTestClient.json(accounts.send(admin, "POST", "/api/knowledge-bases", "{\"name\":\"Knowledge\"}"))
                .path("id").asString());
        replica = new LuceneChunkIndex(Files.createTempDirectory("switchboard-replica-"));
        follower = newFollower();
    }

    @AfterEach
    void closeReplicaAndResumeServedFollower() throws IOException {
        replica.close();
        servedFollower.ifAvailable(IndexFollower::start);
    }

    /**
     * Stops the application's own index follower (where its index follows the database) until the test ends: the
     * replica's follower is then the only one that reads the database for its looks, and changes a test makes for the
     * replica do not reach the index every test of this context searches.
     */
    protected void pauseServedFollower() {
        servedFollower.ifAvailable(IndexFollower::stop);
    }

    /** Another follower of the replica's index, as after a restart of the replica. */
    protected IndexFollower newFollower() {
        return new IndexFollower(replica, jdbcClient, transactionManager, Duration.ofSeconds(1));
    }

    /** The application's ingestion pipeline, writing to {@code index}. */
    protected IngestionPipeline pipeline(ChunkIndex index) {
        return pipeline(index, embedder);
    }

    /** The application's ingestion pipeline, embedding with {@code model} and writing to {@code index}. */
    protected IngestionPipeline pipeline(ChunkIndex index, Embedder model) {
        return new IngestionPipeline(jdbcClient, transactionManager, store, chunking, model, index, properties,
                new SimpleMeterRegistry(), indexState);
    }

    /** Looks of {@code follower}, one after another, until {@code caughtUp} holds. */
    protected void follow(IndexFollower follower, Callable<Boolean> caughtUp) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
            follower.followOnce();
            return caughtUp.call();
        });
    }

    /** Looks of the replica's follower until the replica holds {@code chunks} chunks of the document. */
    protected void followUntil(UUID document, int chunks) {
        follow(follower, () -> replica.countDocumentChunks(admin.tenantId(), document) == chunks);
    }

    /** A markdown document uploaded to the knowledge base (accepted, 202): its id. */
    protected UUID upload(String name, String markdown) {
        HttpResponse<String> response = Uploads.document(http, admin.bearer(), kb.toString(), name, markdown.getBytes(
                StandardCharsets.UTF_8));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return UUID.fromString(HttpTestClient.json(response).path("id").asString());
    }

    /** A document uploaded and ingested by the application's workers: its id, once it shows {@code indexed}. */
    protected UUID indexed(String name, String markdown) {
        UUID id = upload(name, markdown);
        await().atMost(Duration.ofSeconds(180)).until(() -> HttpTestClient.json(accounts.send(admin, "GET", "/api/documents/" + id, null))
                .path("status").asString().equals("indexed"));
        return id;
    }

    /** How many chunk rows the document has in the database. */
    protected int rows(UUID document) {
        return Integer.parseInt(SchemaOwner.strings(jdbc, "select count(*) from knowledge_chunks where document_id = '" + document
                + "'").getFirst());
    }

    /**
     * An index that passes everything to {@code target}; a test overrides what it watches or interleaves. The combined
     * operations ({@link ChunkIndex#upsertThenRecord}, {@link ChunkIndex#candidates}) keep the interface's defaults, so
     * they run through this index's own overrides.
     */
    protected abstract static class ForwardingIndex implements ChunkIndex {

        protected final ChunkIndex target;

        protected ForwardingIndex(ChunkIndex target) {
            this.target = target;
        }

        @Override
        public void upsert(List<IndexedChunk> chunks) {
            target.upsert(chunks);
        }

        @Override
        public void deleteDocument(UUID tenantId, UUID documentId) {
            target.deleteDocument(tenantId, documentId);
        }

        @Override
        public void deleteChunksNotEmbeddedBy(String model) {
            target.deleteChunksNotEmbeddedBy(model);
        }

        @Override
        public List<ChunkHit> lexical(UUID tenantId, Set<UUID> knowledgeBaseIds, String query, int limit) {
            return target.lexical(tenantId, knowledgeBaseIds, query, limit);
        }

        @Override
        public List<ChunkHit> dense(UUID tenantId, Set<UUID> knowledgeBaseIds, String model, float[] queryVector, int limit) {
            return target.dense(tenantId, knowledgeBaseIds, model, queryVector, limit);
        }

        @Override
        public boolean isEmpty() {
            return target.isEmpty();
        }

        @Override
        public int countDocumentChunks(UUID tenantId, UUID documentId) {
            return target.countDocumentChunks(tenantId, documentId);
        }
    }
}
