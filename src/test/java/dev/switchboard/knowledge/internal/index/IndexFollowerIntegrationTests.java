package dev.switchboard.knowledge.internal.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

import dev.switchboard.knowledge.internal.embedding.BgeSmallEmbedder;
import dev.switchboard.support.Accounts.Session;
import dev.switchboard.support.ApiTestSupport;
import dev.switchboard.support.HttpTestClient;
import dev.switchboard.support.IntegrationTest;
import dev.switchboard.support.SchemaOwner;
import dev.switchboard.support.Uploads;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * A second replica's index, in a directory of its own, following the application's database: it gets what the
 * application ingested (text and vectors, nothing embedded), vectors replaced by a re-index, chunk rows removed by a
 * failed ingestion; after a restart it continues from the position it committed; an index that followed another
 * database is emptied and filled again.
 */
@IntegrationTest
class IndexFollowerIntegrationTests extends ApiTestSupport {

    @Autowired
    JdbcClient jdbcClient;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    PlatformTransactionManager transactionManager;

    Path directory;
    LuceneChunkIndex replica;
    Session admin;
    UUID kb;

    @BeforeEach
    void setUp() throws IOException {
        directory = Files.createTempDirectory("switchboard-follower-");
        replica = new LuceneChunkIndex(directory);
        admin = accounts.newTenantAdmin();
        kb = UUID.fromString(HttpTestClient.json(accounts.send(admin, "POST", "/api/knowledge-bases", "{\"name\":\"Follow\"}"))
                .path("id").asString());
    }

    @AfterEach
    void tearDown() throws IOException {
        replica.close();
    }

    IndexFollower follower() {
        return new IndexFollower(replica, jdbcClient, transactionManager, Duration.ofSeconds(1));
    }

    @Test
    void aSecondIndexFollowsIngestionReindexDeletionRestartAndAnotherDatabase() throws Exception {
        UUID handbook = indexed("handbook.md", "# Holidays\n\nEvery employee has 27 days of paid holiday a year.\n");
        UUID travel = indexed("travel.md", "# Travel\n\nTrain tickets are refunded within ten working days.\n");
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        IndexFollower follower = follower().measuredBy(meters);

        follow(follower, () -> chunks(handbook) == rows(handbook) && chunks(travel) == rows(travel));
        assertThat(meters.get("switchboard.knowledge.index.follow.lag").gauge().value()).isNotNegative().isFinite();
        assertThat(replica.lexical(admin.tenantId(), Set.of(kb), "paid holiday", 3)).extracting(ChunkHit::documentId)
                .first().isEqualTo(handbook);
        float[] stored = Vectors.fromBytes(HexFormat.of().parseHex(SchemaOwner.strings(jdbc, "select encode(embedding, 'hex') from "
                + "knowledge_chunks where document_id = '" + handbook + "' order by ordinal limit 1").getFirst()));
        assertThat(replica.dense(admin.tenantId(), Set.of(kb), BgeSmallEmbedder.MODEL_ID, stored, 1).getFirst().score())
                .as("the vector the application stored, not embedded again").isGreaterThan(0.999);

        // A re-index to another model rewrites each row's vector: the replica's chunks move to it, none stays behind.
        float[] other = new float[8];
        other[0] = 1;
        SchemaOwner.update(jdbc, "update knowledge_chunks set embedding_model = 'test:other', embedding = '\\x"
                + HexFormat.of().formatHex(Vectors.toBytes(other)) + "' where document_id = '" + handbook + "'");
        follow(follower, () -> replica.dense(admin.tenantId(), Set.of(kb), "test:other", other, 10).size() == rows(handbook));
        assertThat(replica.dense(admin.tenantId(), Set.of(kb), BgeSmallEmbedder.MODEL_ID, stored, 10)).extracting(ChunkHit::documentId)
                .doesNotContain(handbook);

        // A failed ingestion removes the document's chunk rows (the document stays): a tombstone tells the replica.
        SchemaOwner.update(jdbc, "delete from knowledge_chunks where document_id = '" + handbook + "'");
        follow(follower, () -> chunks(handbook) == 0);
        assertThat(chunks(travel)).isEqualTo(rows(travel));

        // Restarted, it continues from its committed position: nothing is emptied (a chunk no database has stays).
        UUID strangerTenant = UUID.randomUUID();
        UUID strangerDocument = UUID.randomUUID();
        replica.upsert(List.of(new IndexedChunk(strangerTenant, UUID.randomUUID(), strangerDocument, "x.md", UUID.randomUUID(), 0, "",
                "not in this database", "test:other", other)));
        IndexFollower restarted = follower();
        assertThat(restarted.caughtUp()).as("not before its first look").isFalse();
        restarted.followOnce();
        assertThat(restarted.caughtUp()).isTrue();
        assertThat(replica.countDocumentChunks(strangerTenant, strangerDocument)).isOne();
        assertThat(restarted.position()).isNotNull();

        // The database is another one (its epoch changed, as after a restore into a new server): emptied, then filled.
        SchemaOwner.update(jdbc, "update knowledge_index_state set follow_epoch = gen_random_uuid()");
        follow(restarted, () -> replica.countDocumentChunks(strangerTenant, strangerDocument) == 0 && chunks(travel) == rows(travel));
    }

    private void follow(IndexFollower follower, Callable<Boolean> caughtUp) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            follower.followOnce();
            return caughtUp.call();
        });
    }

    private UUID indexed(String name, String text) {
        UUID id = UUID.fromString(HttpTestClient.json(Uploads.document(http, admin.bearer(), kb.toString(), name,
                text.getBytes(StandardCharsets.UTF_8))).path("id").asString());
        await().atMost(Duration.ofSeconds(180)).until(() -> HttpTestClient.json(accounts.send(admin, "GET", "/api/documents/" + id, null))
                .path("status").asString().equals("indexed"));
        return id;
    }

    private int chunks(UUID document) {
        return replica.countDocumentChunks(admin.tenantId(), document);
    }

    private int rows(UUID document) {
        return Integer.parseInt(SchemaOwner.strings(jdbc, "select count(*) from knowledge_chunks where document_id = '" + document + "'")
                .getFirst());
    }
}
