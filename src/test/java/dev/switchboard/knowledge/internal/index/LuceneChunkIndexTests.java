package dev.switchboard.knowledge.internal.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LuceneChunkIndexTests {

    static final UUID TENANT = UUID.randomUUID();
    static final UUID OTHER_TENANT = UUID.randomUUID();
    static final UUID KB = UUID.randomUUID();
    static final UUID OTHER_KB = UUID.randomUUID();
    static final String MODEL = "test-model";

    @TempDir
    Path directory;

    LuceneChunkIndex index;

    @BeforeEach
    void open() throws IOException {
        index = new LuceneChunkIndex(directory);
    }

    @AfterEach
    void close() throws IOException {
        index.close();
    }

    static IndexedChunk chunk(UUID tenant, UUID kb, UUID document, int ordinal, String text, float... vector) {
        return new IndexedChunk(tenant, kb, document, "guide.pdf", UUID.nameUUIDFromBytes((tenant + "/" + kb + "/" + document + "/" + ordinal).getBytes()),
                ordinal, "page " + (ordinal + 1), text, MODEL, vector);
    }

    static float[] unit(float... components) {
        double norm = 0;
        for (float c : components) {
            norm += c * c;
        }
        float[] unit = components.clone();
        for (int i = 0; i < unit.length; i++) {
            unit[i] /= (float) Math.sqrt(norm);
        }
        return unit;
    }

    @Test
    void reEmbeddingAChunkReplacesItsVectorAndTheOldModelsLeftoversCanBeRemoved() {
        UUID document = UUID.randomUUID();
        UUID orphan = UUID.randomUUID();
        index.upsert(List.of(chunk(TENANT, KB, document, 0, "Rotate the keys yearly.", unit(1, 0, 0, 0)),
                chunk(OTHER_TENANT, OTHER_KB, orphan, 0, "Left behind by a deleted document.", unit(0, 1, 0, 0))));
        IndexedChunk old = chunk(TENANT, KB, document, 0, "Rotate the keys yearly.", unit(1, 0, 0, 0));
        index.upsert(List.of(new IndexedChunk(old.tenantId(), old.knowledgeBaseId(), old.documentId(), old.documentName(), old.chunkId(),
                old.ordinal(), old.location(), old.text(), "new-model", unit(0, 0, 1))));

        assertThat(index.countDocumentChunks(TENANT, document)).as("one copy").isEqualTo(1);
        assertThat(index.dense(TENANT, Set.of(KB), MODEL, unit(1, 0, 0, 0), 10)).as("the old vector was replaced").isEmpty();
        assertThat(index.dense(TENANT, Set.of(KB), "new-model", unit(0, 0, 1), 10)).hasSize(1);

        index.deleteChunksNotEmbeddedBy("new-model");
        assertThat(index.countDocumentChunks(OTHER_TENANT, orphan)).isZero();
        assertThat(index.countDocumentChunks(TENANT, document)).isEqualTo(1);
        assertThat(index.lexical(TENANT, Set.of(KB), "rotate keys", 10)).hasSize(1);
    }

    @Test
    void aWriteIsSearchableAndCountedWhenUpsertReturns() {
        UUID document = UUID.randomUUID();
        index.upsert(List.of(chunk(TENANT, KB, document, 0, "The installer needs root rights.", unit(1, 0, 0, 0)),
                chunk(TENANT, KB, document, 1, "Restart the service after upgrading.", unit(0, 1, 0, 0))));

        List<ChunkHit> lexical = index.lexical(TENANT, Set.of(KB), "installing as root", 10);
        assertThat(lexical).singleElement().satisfies(hit -> {
            assertThat(hit.documentId()).isEqualTo(document);
            assertThat(hit.documentName()).isEqualTo("guide.pdf");
            assertThat(hit.knowledgeBaseId()).isEqualTo(KB);
            assertThat(hit.ordinal()).isZero();
            assertThat(hit.location()).isEqualTo("page 1");
            assertThat(hit.text()).isEqualTo("The installer needs root rights.");
            assertThat(hit.score()).isPositive();
        });
        List<ChunkHit> dense = index.dense(TENANT, Set.of(KB), MODEL, unit(0, 1, 0, 0), 10);
        assertThat(dense).extracting(ChunkHit::ordinal).containsExactly(1, 0);
        assertThat(dense.getFirst().score()).isCloseTo(1.0, within(1e-5));
        assertThat(dense.get(1).score()).isCloseTo(0.0, within(1e-5));
        assertThat(index.countDocumentChunks(TENANT, document)).isEqualTo(2);
    }

    @Test
    void nothingOfAnotherTenantOrKnowledgeBaseIsReturnedAndTopKIsFilledWithinTheScope() {
        UUID document = UUID.randomUUID();
        List<IndexedChunk> chunks = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            // others' chunks are the closest matches, to tempt an unfiltered search
            chunks.add(chunk(OTHER_TENANT, KB, document, i, "root password reset root password", unit(1, 0.01f * i, 0, 0)));
            chunks.add(chunk(TENANT, OTHER_KB, document, i, "root password reset root password", unit(1, 0.01f * i, 0, 0)));
        }
        for (int i = 0; i < 5; i++) {
            chunks.add(chunk(TENANT, KB, document, i, "the root password is in the vault, entry " + i, unit(0.2f, 1, 0.1f * i, 0)));
        }
        index.upsert(chunks);

        assertThat(index.dense(TENANT, Set.of(KB), MODEL, unit(1, 0, 0, 0), 5)).hasSize(5)
                .allSatisfy(hit -> assertThat(hit.knowledgeBaseId()).isEqualTo(KB)).allSatisfy(hit -> assertThat(hit.text()).contains("vault"));
        assertThat(index.lexical(TENANT, Set.of(KB), "root password reset", 5)).hasSize(5)
                .allSatisfy(hit -> assertThat(hit.text()).contains("vault"));
        assertThat(index.dense(TENANT, Set.of(KB, OTHER_KB), MODEL, unit(1, 0, 0, 0), 100)).hasSize(35);
        assertThat(index.lexical(UUID.randomUUID(), Set.of(KB, OTHER_KB), "root password", 10)).isEmpty();
        assertThat(index.dense(TENANT, Set.of(), MODEL, unit(1, 0, 0, 0), 10)).isEmpty();
        assertThat(index.countDocumentChunks(TENANT, document)).isEqualTo(35);
    }

    @Test
    void upsertIsIdempotentPerChunkId() {
        UUID document = UUID.randomUUID();
        IndexedChunk first = chunk(TENANT, KB, document, 0, "Old wording about backups.", unit(1, 0, 0, 0));
        index.upsert(List.of(first));
        index.upsert(List.of(first));
        IndexedChunk rewritten = new IndexedChunk(TENANT, KB, document, "guide.pdf", first.chunkId(), 0, "page 1", "New wording about snapshots.",
                MODEL, unit(0, 0, 1, 0));
        index.upsert(List.of(rewritten));

        assertThat(index.countDocumentChunks(TENANT, document)).isEqualTo(1);
        assertThat(index.lexical(TENANT, Set.of(KB), "backups", 10)).isEmpty();
        assertThat(index.lexical(TENANT, Set.of(KB), "snapshots", 10)).singleElement().extracting(ChunkHit::chunkId).isEqualTo(first.chunkId());
        assertThat(index.dense(TENANT, Set.of(KB), MODEL, unit(0, 0, 1, 0), 10)).singleElement().extracting(ChunkHit::text)
                .isEqualTo("New wording about snapshots.");
    }

    @Test
    void deleteDocumentRemovesAllItsChunksAndOnlyInItsTenant() {
        UUID document = UUID.randomUUID();
        UUID kept = UUID.randomUUID();
        index.upsert(List.of(chunk(TENANT, KB, document, 0, "alpha", unit(1, 0, 0, 0)), chunk(TENANT, KB, document, 1, "alpha beta", unit(1, 1, 0, 0)),
                chunk(TENANT, KB, kept, 0, "alpha gamma", unit(1, 0, 1, 0)), chunk(OTHER_TENANT, KB, document, 0, "alpha", unit(1, 0, 0, 0))));

        index.deleteDocument(TENANT, document);

        assertThat(index.countDocumentChunks(TENANT, document)).isZero();
        assertThat(index.countDocumentChunks(TENANT, kept)).isEqualTo(1);
        assertThat(index.countDocumentChunks(OTHER_TENANT, document)).isEqualTo(1);
        assertThat(index.lexical(TENANT, Set.of(KB), "alpha", 10)).extracting(ChunkHit::documentId).containsOnly(kept);
        assertThat(index.dense(TENANT, Set.of(KB), MODEL, unit(1, 0, 0, 0), 10)).extracting(ChunkHit::documentId).containsOnly(kept);
    }

    @Test
    void dataSurvivesClosingAndReopening() throws IOException {
        UUID document = UUID.randomUUID();
        index.upsert(List.of(chunk(TENANT, KB, document, 0, "Durable text about invoices.", unit(0, 0, 0, 1))));
        index.close();

        index = new LuceneChunkIndex(directory);
        assertThat(index.countDocumentChunks(TENANT, document)).isEqualTo(1);
        assertThat(index.lexical(TENANT, Set.of(KB), "invoice", 10)).hasSize(1);
        assertThat(index.dense(TENANT, Set.of(KB), MODEL, unit(0, 0, 0, 1), 10)).hasSize(1);
    }

    @Test
    void queriesWithoutSearchableTermsOrWithQuerySyntaxAreJustText() {
        index.upsert(List.of(chunk(TENANT, KB, UUID.randomUUID(), 0, "C++ and C# compilers: AND, OR, NOT are operators.", unit(1, 0, 0, 0))));

        assertThat(index.lexical(TENANT, Set.of(KB), "the and of", 10)).isEmpty();
        assertThat(index.lexical(TENANT, Set.of(KB), "", 10)).isEmpty();
        assertThat(index.lexical(TENANT, Set.of(KB), "C++ (compilers) OR title:\"x* ~2", 10)).hasSize(1);
    }

    @Test
    void vectorsThatAreNotUnitLengthAreNormalised() {
        index.upsert(List.of(chunk(TENANT, KB, UUID.randomUUID(), 0, "scaled", 3, 4, 0, 0)));
        assertThat(index.dense(TENANT, Set.of(KB), MODEL, new float[] {6, 8, 0, 0}, 1)).singleElement()
                .satisfies(hit -> assertThat(hit.score()).isCloseTo(1.0, within(1e-5)));
    }

    @Test
    void concurrentUpsertsAndSearchesAreSafe() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> work = new ArrayList<>();
            List<UUID> documents = new ArrayList<>();
            for (int writer = 0; writer < 4; writer++) {
                UUID document = UUID.randomUUID();
                documents.add(document);
                work.add(pool.submit(() -> {
                    for (int batch = 0; batch < 10; batch++) {
                        List<IndexedChunk> chunks = new ArrayList<>();
                        for (int i = 0; i < 5; i++) {
                            chunks.add(chunk(TENANT, KB, document, batch * 5 + i, "concurrent text " + batch, unit(1, batch, i, 1)));
                        }
                        index.upsert(chunks);
                        assertThat(index.countDocumentChunks(TENANT, document)).isEqualTo(batch * 5 + 5);
                        assertThat(index.lexical(TENANT, Set.of(KB), "concurrent", 10)).isNotEmpty();
                        assertThat(index.dense(TENANT, Set.of(KB), MODEL, unit(1, 0, 0, 0), 10)).isNotEmpty();
                    }
                    return null;
                }));
            }
            for (Future<?> future : work) {
                future.get();
            }
            for (UUID document : documents) {
                assertThat(index.countDocumentChunks(TENANT, document)).isEqualTo(50);
            }
        }
        finally {
            pool.shutdownNow();
        }
    }
}
