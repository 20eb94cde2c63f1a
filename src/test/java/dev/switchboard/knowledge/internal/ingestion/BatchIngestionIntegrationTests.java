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
