package dev.switchboard.knowledge.internal.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.switchboard.knowledge.internal.embedding.Embedder;
import dev.switchboard.knowledge.internal.index.ChunkIndex;
import dev.switchboard.knowledge.internal.index.IndexedChunk;
import dev.switchboard.knowledge.internal.parsing.Deadline;
import dev.switchboard.support.Accounts.Session;
import dev.switchboard.support.HttpTestClient;
import dev.switchboard.support.IntegrationTest;
import dev.switchboard.support.SchemaOwner;
import dev.switchboard.support.Uploads;

/**
 * Ingestion of several documents together, with the workers paused so that the documents wait in the queue: an
 * ingestion job claims its tenant's other queued documents, their chunks are embedded in one call, indexed in one commit
 * and recorded in one transaction, and each document ends indexed with every chunk once, in the database and the index;
 * a document the model fails on, or one deleted while its batch was embedded, ends alone while the others of its batch
 * are indexed.
 */
@IntegrationTest
class BatchIngestionIntegrationTests extends IngestionTestSupport {

    static final String POISON = "poisonword";

    @Autowired
    ChunkIndex served;

    @Autowired
    IngestionJobs jobs;

    @Autowired
    CompanionJobs companions;

    @Autowired
    IngestionSlots slots;

    @BeforeEach
    void pauseWorkers() {
        jobs.stop();
    }

    @AfterEach
    void resumeWorkers() {
        jobs.start();
    }

    @Test
    void aJobClaimsItsTenantsQueuedDocumentsAndIngestsThemInOneBatch() {
        List<UUID> documents = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            documents.add(upload("note-" + i + ".md", "# Note " + i + "\n\nThe warehouse in town " + i + " opens at " + (6 + i)
                    + " o'clock and closes at six.\n"));
        }
        Session other = accounts.newTenantAdmin();
        String otherKb = HttpTestClient.json(accounts.send(other, "POST", "/api/knowledge-bases", "{\"name\":\"Other\"}")).path("id")
                .asString();
        UUID othersDocument = UUID.fromString(HttpTestClient.json(Uploads.document(http, other.bearer(), otherKb, "other.md",
                "# Other\n\nAnother tenant's note.\n".getBytes(StandardCharsets.UTF_8))).path("id").asString());

        UUID lead = documents.getFirst();
        List<UUID> claimed = companions.claim(admin.tenantId(), lead, properties.ingestionBatchDocuments() - 1);
        assertThat(claimed).as("the tenant's other queued documents, not another tenant's")
                .containsExactlyInAnyOrderElementsOf(documents.subList(1, documents.size())).doesNotContain(othersDocument);
        assertThat(SchemaOwner.strings(jdbc, "select count(*) from scheduled_tasks where picked and picked_by = '"
                + CompanionJobs.pickedBy(lead) + "'")).as("claimed jobs stay, marked picked by the batch").containsExactly("5");

        Counting index = new Counting(Set.of());
        CountingEmbedder model = new CountingEmbedder();
        List<UUID> batch = new ArrayList<>(List.of(lead));
        batch.addAll(claimed);
        Map<UUID, RuntimeException> passing = pipeline(index, model).ingestAll(admin.tenantId(), batch, Deadline.none());

        assertThat(passing).isEmpty();
        assertThat(model.calls.get()).as("one call of the model for the six documents' chunks").isEqualTo(1);
        assertThat(index.upserts.get()).as("one index commit for the batch").isEqualTo(1);
        for (UUID document : documents) {
            assertIndexedOnce(document);
        }
        companions.done(lead, claimed);
        assertThat(SchemaOwner.strings(jdbc, "select count(*) from scheduled_tasks where picked_by = '" + CompanionJobs.pickedBy(lead)
                + "'")).as("the claimed jobs end with their documents").containsExactly("0");
        assertThat(status(othersDocument)).as("another tenant's document is left to its own job").isEqualTo("queued");
    }

    @Test
    void freeingTheSlotMakesTheTenantsOldestPutOffJobDueAndNoOther() {
        UUID oldest = upload("oldest.md", "# Oldest\n\nThe first note put off for the slot.\n");
        UUID younger = upload("younger.md", "# Younger\n\nThe second note put off for the slot.\n");
        UUID backingOff = upload("backing-off.md", "# Backing off\n\nA note waiting out a failure's backoff.\n");
        Session other = accounts.newTenantAdmin();
        String otherKb = HttpTestClient.json(accounts.send(other, "POST", "/api/knowledge-bases", "{\"name\":\"Other\"}")).path("id")
                .asString();
        UUID othersDocument = UUID.fromString(HttpTestClient.json(Uploads.document(http, other.bearer(), otherKb, "other.md",
                "# Other\n\nAnother tenant's note, put off too.\n".getBytes(StandardCharsets.UTF_8))).path("id").asString());
        // As the jobs stand after finding the tenant's slot busy (due later, no failure), one after a failure.
        putOff(oldest, "1 hour", 0);
        putOff(younger, "2 hours", 0);
        putOff(backingOff, "30 minutes", 1);
        putOff(othersDocument, "10 minutes", 0);

        assertThat(companions.wakeNext(admin.tenantId())).isTrue();

        assertThat(due(oldest)).as("the tenant's oldest job put off for the slot runs now").isTrue();
        assertThat(due(younger)).as("only one: it claims the others as its companions").isFalse();
        assertThat(due(backingOff)).as("a job waiting out a failure's backoff keeps waiting").isFalse();
        assertThat(due(othersDocument)).as("another tenant's job is not this slot's").isFalse();
        assertThat(companions.wakeNext(admin.tenantId())).as("the next call wakes the next one").isTrue();
        assertThat(due(younger)).isTrue();
        assertThat(companions.wakeNext(admin.tenantId())).as("none left put off for the slot").isFalse();
    }

    @Test
    void anUploadWhileTheTenantsSlotIsHeldIsPutOffForTheRunningJobToClaimAndOneAfterItIsFreedIsDue() {
        UUID holder = upload("holder.md", "# Holder\n\nThe note whose job holds the slot.\n");
        assertThat(slots.claim(admin.tenantId(), holder)).isPresent();
        try {
            UUID waiting = upload("waiting.md", "# Waiting\n\nA note uploaded while the slot is held.\n");
            assertThat(due(waiting)).as("put off at once rather than picked only to be put off").isFalse();
            assertThat(companions.claim(admin.tenantId(), holder, properties.ingestionBatchDocuments() - 1))
                    .as("the running job claims it into its next batch").containsExactly(waiting);
        }
        finally {
            slots.release(admin.tenantId(), holder);
        }
        UUID later = upload("later.md", "# Later\n\nA note uploaded once the slot is free.\n");
        assertThat(due(later)).as("a free slot: due at once").isTrue();
    }

    /**
     * Jobs db-scheduler revived after their replica died (their documents left part-way, the job due with one failure more)
     * are handed the freed slot and claimed into a batch like queued ones, then end indexed once: they do not take the
     * slot one per wait.
     */
    @Test
    void jobsRevivedAfterAReplicasDeathAreHandedTheSlotAndClaimedIntoABatch() {
        UUID lead = upload("lead.md", "# Lead\n\nThe note whose job holds the slot.\n");
        UUID parsing = upload("parsing.md", "# Parsing\n\nA note its replica died parsing.\n");
        UUID embedding = upload("embedding.md", "# Embedding\n\nA note its replica died embedding, before its first batch.\n");
        UUID refused = upload("put-off.md", "# Put off\n\nA revived note that then found the slot busy.\n");
        leftPartWay(parsing, "parsing");
        leftPartWay(embedding, "embedding");
        leftPartWay(refused, "embedding");
        // Revived: due now, one failure more; the third then found the slot busy, which clears the failure count.
        putOff(parsing, "0 seconds", 1);
        putOff(embedding, "0 seconds", 1);
        putOff(refused, "1 hour", 0);

        assertThat(companions.wakeNext(admin.tenantId())).as("the revived job put off for the slot is handed it").isTrue();
        assertThat(due(refused)).isTrue();
        putOff(refused, "1 hour", 0);
        List<UUID> claimed = companions.claim(admin.tenantId(), lead, properties.ingestionBatchDocuments() - 1);
        assertThat(claimed).as("revived jobs join the batch").containsExactlyInAnyOrder(parsing, embedding, refused);

        List<UUID> batch = new ArrayList<>(List.of(lead));
        batch.addAll(claimed);
        Map<UUID, RuntimeException> passing = pipeline(new Counting(Set.of()), new CountingEmbedder()).ingestAll(admin.tenantId(), batch,
                Deadline.none());
        assertThat(passing).isEmpty();
        for (UUID document : batch) {
            assertIndexedOnce(document);
        }
        companions.done(lead, claimed);
    }

    /** As a run that died with its replica leaves a document: started (one attempt counted), not finished. */
    void leftPartWay(UUID document, String status) {
        assertThat(SchemaOwner.update(jdbc, "update knowledge_documents set status = '" + status + "', attempts = 1 where id = '"
                + document + "'")).isEqualTo(1);
    }

    void putOff(UUID document, String wait, int failures) {
        assertThat(SchemaOwner.update(jdbc, "update scheduled_tasks set execution_time = now() + interval '" + wait
                + "', consecutive_failures = " + failures + " where task_instance = '" + document + "'")).isEqualTo(1);
    }

    boolean due(UUID document) {
        return SchemaOwner.strings(jdbc, "select case when execution_time <= now() then 'due' else 'later' end from scheduled_tasks "
                + "where task_instance = '" + document + "'").equals(List.of("due"));
    }

    @Test
    void aDocumentThatFailsOrIsDeletedMidBatchDoesNotTakeDownTheOthers() {
        UUID first = upload("first.md", "# First\n\nThe first note of the batch mentions the red door.\n");
        UUID poisoned = upload("poisoned.md", "# Poisoned\n\nThis note holds the " + POISON + " the model fails on.\n");
        UUID deleted = upload("deleted.md", "# Deleted\n\nThis note is deleted while its batch is being embedded.\n");
        UUID last = upload("last.md", "# Last\n\nThe last note of the batch mentions the blue window.\n");

        Counting index = new Counting(Set.of(deleted));
        Map<UUID, RuntimeException> passing = pipeline(index, new CountingEmbedder()).ingestAll(admin.tenantId(),
                List.of(first, poisoned, deleted, last), Deadline.none());

        assertThat(passing).as("the model's failure is a passing one: the document is retried").containsOnlyKeys(poisoned);
        assertIndexedOnce(first);
        assertIndexedOnce(last);
        assertThat(status(poisoned)).as("not recorded as done").isEqualTo("embedding");
        assertThat(rows(poisoned)).isZero();
        assertThat(served.countDocumentChunks(admin.tenantId(), poisoned)).isZero();
        assertThat(SchemaOwner.strings(jdbc, "select count(*) from knowledge_documents where id = '" + deleted + "'"))
                .containsExactly("0");
        assertThat(rows(deleted)).isZero();
        assertThat(served.countDocumentChunks(admin.tenantId(), deleted)).as("what was indexed of it was removed").isZero();
    }

    void assertIndexedOnce(UUID document) {
        List<String> row = SchemaOwner.strings(jdbc, "select status || '/' || chunks_done || '/' || chunks_total || '/' || "
                + "(select count(*) from knowledge_chunks c where c.document_id = d.id) || '/' || "
                + "(select count(distinct ordinal) from knowledge_chunks c where c.document_id = d.id) "
                + "from knowledge_documents d where id = '" + document + "'");
        String[] parts = row.getFirst().split("/");
        assertThat(parts[0]).as("status of " + document).isEqualTo("indexed");
        int total = Integer.parseInt(parts[2]);
        assertThat(total).isPositive();
        assertThat(Integer.parseInt(parts[1])).as("chunks done").isEqualTo(total);
        assertThat(Integer.parseInt(parts[3])).as("chunk rows").isEqualTo(total);
        assertThat(Integer.parseInt(parts[4])).as("distinct ordinals").isEqualTo(total);
        assertThat(served.countDocumentChunks(admin.tenantId(), document)).as("chunks in the index").isEqualTo(total);
    }

    String status(UUID document) {
        return SchemaOwner.strings(jdbc, "select status from knowledge_documents where id = '" + document + "'").getFirst();
    }

    /** The real model, counting its calls, failing (as a provider's passing error would) on texts with the poison word. */
    final class CountingEmbedder implements Embedder {

        final AtomicInteger calls = new AtomicInteger();

        @Override
        public String modelId() {
            return embedder.modelId();
        }

        @Override
        public int dimension() {
            return embedder.dimension();
        }

        @Override
        public List<float[]> embedDocuments(List<String> texts) {
            calls.incrementAndGet();
            if (texts.stream().anyMatch(text -> text.contains(POISON))) {
                throw new IllegalStateException("the provider answered 503 for this input");
            }
            return embedder.embedDocuments(texts);
        }

        @Override
        public float[] embedQuery(String query) {
            return embedder.embedQuery(query);
        }
    }

    /** The served index, counting its commits; a document of {@code deleteOnUpsert} is deleted by its owner meanwhile. */
    final class Counting extends ForwardingIndex {

        final AtomicInteger upserts = new AtomicInteger();
        final Set<UUID> deleteOnUpsert;

        Counting(Set<UUID> deleteOnUpsert) {
            super(served);
            this.deleteOnUpsert = deleteOnUpsert;
        }

        @Override
        public void upsert(List<IndexedChunk> chunks) {
            upserts.incrementAndGet();
            served.upsert(chunks);
            for (UUID document : deleteOnUpsert) {
                if (chunks.stream().anyMatch(chunk -> chunk.documentId().equals(document))) {
                    var response = accounts.send(admin, "DELETE", "/api/documents/" + document, null);
                    assertThat(response.statusCode()).as(response.body()).isEqualTo(204);
                }
            }
        }
    }
}
