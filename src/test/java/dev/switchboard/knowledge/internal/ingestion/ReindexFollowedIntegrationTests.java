package dev.switchboard.knowledge.internal.ingestion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import dev.switchboard.knowledge.internal.index.ChunkHit;
import dev.switchboard.knowledge.internal.index.IndexedChunk;
import dev.switchboard.support.IntegrationTest;
import dev.switchboard.support.SchemaOwner;

/**
 * A re-index and the index follower of the replica that runs its job, interleaved step by step rather than by timing:
 * the follower's look that applies the re-index's tombstone (for the old chunks, whose ids the new ones share) starts
 * right after the job wrote the new chunks to the index and before it recorded them. Once the job is done, the document
 * is in that index with all its chunks, without waiting for another look (before the fix the look removed the new
 * chunks and found no rows to write back until its next look). And the look that applies the tombstone after the job
 * ended, held in its read of the document's rows, leaves the document found meanwhile (before that fix the removal was
 * committed before the read, and a search in between found nothing of a document that showed {@code indexed}).
 */
@IntegrationTest
class ReindexFollowedIntegrationTests extends IngestionTestSupport {

    @Test
    void aLookOfTheFollowerBetweenTheJobsIndexWriteAndItsRecordLeavesTheDocumentSearchable() throws Exception {
        UUID document = indexed("handbook.md", FailedIngestionFollowedIntegrationTests.HANDBOOK);
        int chunks = rows(document);
        followUntil(document, chunks);

        reindexRequested(document);
        // A chunk of the document only the tombstone removes: gone once the look applied it.
        IndexedChunk leftOver = new IndexedChunk(admin.tenantId(), kb, document, "handbook.md", UUID.randomUUID(), 99, "", "left over",
                "test:left-over", new float[] {1, 0, 0, 0});
        replica.upsert(List.of(leftOver));

        LookBeforeRecording index = new LookBeforeRecording();
        pipeline(index).ingest(admin.tenantId(), document);
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

    @Test
    void aLookThatAppliesTheTombstoneAfterTheJobNeverLeavesTheIndexedDocumentUnfound() throws Exception {
        UUID document = indexed("handbook.md", FailedIngestionFollowedIntegrationTests.HANDBOOK);
        int chunks = rows(document);
        followUntil(document, chunks);
        // The application's own follower pauses: the replica's look is the only one to read rows for a tombstone.
        pauseServedFollower();
        reindexRequested(document);
        pipeline(replica).ingest(admin.tenantId(), document);
        assertThat(SchemaOwner.strings(jdbc, "select status from knowledge_documents where id = '" + document + "'"))
                .containsExactly("indexed");
        assertThat(found(document)).as("found once it shows indexed").isTrue();

        // The look for the tombstone comes after the job (the job ended within the follower's interval), and its read of the
        // document's rows is slow (their table is locked meanwhile): a search in between finds the document.
        AtomicReference<Thread> look = new AtomicReference<>();
        SchemaOwner.whileLocked(jdbc, "knowledge_documents", () -> {
            look.set(Thread.ofPlatform().name("follower-look").start(follower::followOnce));
            await().atMost(Duration.ofSeconds(30)).until(() -> !SchemaOwner.strings(jdbc, "select pid from pg_stat_activity "
                    + "where wait_event_type = 'Lock' and query like '%c.document_id = any%'").isEmpty());
            assertThat(found(document)).as("found while the look reads the rows of the document it replaces").isTrue();
        });
        assertThat(look.get().join(Duration.ofSeconds(30))).as("the look ended").isTrue();
        assertThat(replica.countDocumentChunks(admin.tenantId(), document)).isEqualTo(chunks);
        assertThat(found(document)).isTrue();
    }

    /** Whether a search of the replica's index finds the document. */
    private boolean found(UUID document) {
        return replica.lexical(admin.tenantId(), Set.of(kb), "paid holiday", 3).stream().anyMatch(hit -> hit.documentId().equals(
                document));
    }

    /**
     * What POST /api/documents/{id}/reindex commits: the chunk rows go (a tombstone) and the document is queued again; once
     * the horizon passes the tombstone (no transaction older than it still runs), the follower's next look applies it.
     */
    private void reindexRequested(UUID document) {
        SchemaOwner.update(jdbc, "delete from knowledge_chunks where document_id = '" + document + "'; update knowledge_documents "
                + "set status = 'queued', error = null, chunks_total = null, chunks_done = 0, attempts = 0 where id = '" + document + "'");
        long tombstone = Long.parseLong(SchemaOwner.strings(jdbc, "select max(deleted_xid)::text from knowledge_index_tombstones "
                + "where document_id = '" + document + "'").getFirst());
        await().atMost(Duration.ofSeconds(30)).until(() -> Long.parseLong(SchemaOwner.strings(jdbc,
                "select pg_snapshot_xmin(pg_current_snapshot())::text").getFirst()) > tombstone);
    }

    /** The replica's index, with a look of the follower started after the job's index write, before its record. */
    final class LookBeforeRecording extends ForwardingIndex {

        final AtomicReference<Thread> look = new AtomicReference<>();

        LookBeforeRecording() {
            super(replica);
        }

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
    }
}
