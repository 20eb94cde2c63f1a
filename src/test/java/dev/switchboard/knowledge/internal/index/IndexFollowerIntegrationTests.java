package dev.switchboard.knowledge.internal.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;

import dev.switchboard.knowledge.internal.embedding.BgeSmallEmbedder;
import dev.switchboard.knowledge.internal.ingestion.IngestionTestSupport;
import dev.switchboard.support.IntegrationTest;
import dev.switchboard.support.SchemaOwner;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * A second replica's index, in a directory of its own, following the application's database: it gets what the
 * application ingested (text and vectors, nothing embedded), vectors replaced by a re-index, chunk rows removed by a
 * failed ingestion; after a restart it continues from the position it committed; an index that followed another
 * database is emptied and filled again.
 */
@IntegrationTest
class IndexFollowerIntegrationTests extends IngestionTestSupport {

    @Test
    void aSecondIndexFollowsIngestionReindexDeletionRestartAndAnotherDatabase() throws Exception {
        UUID handbook = indexed("handbook.md", "# Holidays\n\nEvery employee has 27 days of paid holiday a year.\n");
        UUID travel = indexed("travel.md", "# Travel\n\nTrain tickets are refunded within ten working days.\n");
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        follower.measuredBy(meters);

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
        IndexFollower restarted = newFollower();
        assertThat(restarted.caughtUp()).as("not before its first look").isFalse();
        restarted.followOnce();
        assertThat(restarted.caughtUp()).isTrue();
        assertThat(replica.countDocumentChunks(strangerTenant, strangerDocument)).isOne();
        assertThat(restarted.position()).isNotNull();

        // The database is another one (its epoch changed, as after a restore into a new server): emptied, then filled. The
        // application's own follower pauses and the epoch is put back before it resumes, or it would empty and fill the index
        // that the other tests of this context search (seconds under load, while their searches find nothing).
        String epoch = SchemaOwner.strings(jdbc, "select follow_epoch::text from knowledge_index_state").getFirst();
        pauseServedFollower();
        SchemaOwner.update(jdbc, "update knowledge_index_state set follow_epoch = gen_random_uuid()");
        follow(restarted, () -> replica.countDocumentChunks(strangerTenant, strangerDocument) == 0 && chunks(travel) == rows(travel));
        SchemaOwner.update(jdbc, "update knowledge_index_state set follow_epoch = '" + epoch + "'");
    }

    @Test
    void aStoppedFollowerGivesUpItsLookBeforeTheNextPageAndTheNextStartFollowsFromItsPosition() {
        UUID handbook = indexed("handbook.md", "# Holidays\n\nEvery employee has 27 days of paid holiday a year.\n");

        follower.stop();
        assertThatThrownBy(follower::followOnce).as("stopped before its first page").isInstanceOf(IndexFollower.Stopped.class);
        assertThat(follower.position()).as("no position recorded for the look given up").isNull();
        assertThat(chunks(handbook)).isZero();

        follower.start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> follower.caughtUp() && chunks(handbook) == rows(handbook));
        }
        finally {
            follower.stop();
        }
        assertThat(follower.isRunning()).isFalse();
        assertThat(follower.position()).isNotNull();
    }

    @Autowired
    ObjectProvider<IndexFollower> served;

    @Autowired
    MeterRegistry meters;

    /**
     * The application's own follower reads back the rows of what its ingestion wrote to its index, and finds each chunk
     * there as its row is: nothing is written a second time.
     */
    @Test
    void theApplicationsFollowerDoesNotWriteAgainWhatItsOwnIngestionWrote() {
        IndexFollower own = served.getIfAvailable();
        assertThat(own).as("the application's index follows the database").isNotNull();
        long now = Long.parseLong(SchemaOwner.strings(jdbc, "select pg_current_xact_id()::text").getFirst());
        await().atMost(Duration.ofSeconds(30)).until(() -> own.position() != null && own.position().xid() > now);
        double written = followed("written");
        double unchanged = followed("unchanged");

        UUID handbook = indexed("handbook.md", "# Holidays\n\nEvery employee has 27 days of paid holiday a year.\n\n"
                + "# Travel\n\nTrain tickets are refunded within ten working days.\n");
        long recorded = Long.parseLong(SchemaOwner.strings(jdbc, "select max(changed_xid)::text from knowledge_chunks where "
                + "document_id = '" + handbook + "'").getFirst());
        await().atMost(Duration.ofSeconds(30)).until(() -> own.position().xid() > recorded);

        assertThat(rows(handbook)).isPositive();
        assertThat(followed("unchanged") - unchanged).as("the document's rows, read back").isGreaterThanOrEqualTo(rows(handbook));
        assertThat(followed("written") - written).as("chunks written again").isZero();
    }

    private double followed(String outcome) {
        return meters.get("switchboard.knowledge.index.follow.chunks").tag("outcome", outcome).counter().count();
    }

    private int chunks(UUID document) {
        return replica.countDocumentChunks(admin.tenantId(), document);
    }
}
