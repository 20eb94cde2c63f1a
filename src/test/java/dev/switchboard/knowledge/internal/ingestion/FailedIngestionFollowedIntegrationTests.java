package dev.switchboard.knowledge.internal.ingestion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.switchboard.knowledge.internal.index.ChunkIndex;
import dev.switchboard.knowledge.internal.index.IndexedChunk;
import dev.switchboard.knowledge.internal.index.Vectors;
import dev.switchboard.support.HttpTestClient;
import dev.switchboard.support.IntegrationTest;
import dev.switchboard.support.SchemaOwner;
import tools.jackson.databind.JsonNode;

/**
 * A failed ingestion and the index follower, interleaved step by step rather than by timing: a look of the follower
 * right after each removal of the document from the index (the look that, before the fix, put the rows back between
 * the removal and the deletion of the rows) leaves nothing of the document once it shows {@code failed}; and an index
 * that has not followed the failure yet (another replica's) does not make it searchable.
 */
@IntegrationTest
class FailedIngestionFollowedIntegrationTests extends IngestionTestSupport {

    static final String HANDBOOK = "# Employee handbook\n\n## Holidays\n\nEvery employee has 27 days of paid holiday a year.\n\n"
            + "## Travel\n\nTrain tickets are refunded within ten working days of the journey.\n";

    @Autowired
    ChunkIndex served;

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
    final class FollowedAfterEachRemoval extends ForwardingIndex {

        FollowedAfterEachRemoval() {
            super(replica);
        }

        @Override
        public void deleteDocument(UUID tenantId, UUID documentId) {
            replica.deleteDocument(tenantId, documentId);
            followUntil(documentId, rows(documentId));
        }
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
}
