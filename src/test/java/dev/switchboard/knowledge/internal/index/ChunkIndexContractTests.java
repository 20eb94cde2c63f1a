package dev.switchboard.knowledge.internal.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ChunkIndex} does, run against each implementation by a subclass. Each test works in tenants
 * and knowledge bases of its own, so an implementation may keep one store for all tests (a database).
 */
abstract class ChunkIndexContractTests {

    static final String MODEL = "test-model";

    final UUID tenant = UUID.randomUUID();
    final UUID otherTenant = UUID.randomUUID();
    final UUID kb = UUID.randomUUID();
    final UUID otherKb = UUID.randomUUID();

    ChunkIndex index;

    /** An index for one test. */
    abstract ChunkIndex open() throws Exception;

    /** The index closed (when it can be) and opened again on the same storage, as after a restart. */
    abstract ChunkIndex reopen() throws Exception;

    @BeforeEach
    void openIndex() throws Exception {
        index = open();
    }

    static IndexedChunk chunk(UUID tenant, UUID kb, UUID document, int ordinal, String text, float... vector) {
        return new IndexedChunk(tenant, kb, document, "guide.pdf", UUID.nameUUIDFromBytes((tenant + "/" + kb + "/" + document + "/"
                + ordinal).getBytes()),
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
    void aWriteIsSearchableAndCountedWhenUpsertReturns() {
        UUID document = UUID.randomUUID();
        index.upsert(List.of(chunk(tenant, kb, document, 0, "The installer needs root rights.", unit(1, 0, 0, 0)),
                chunk(tenant, kb, document, 1, "Restart the service after upgrading.", unit(0, 1, 0, 0))));

        List<ChunkHit> lexical = index.lexical(tenant, Set.of(kb), "installing as root", 10);
        assertThat(lexical).singleElement().satisfies(hit -> {
            assertThat(hit.documentId()).isEqualTo(document);
            assertThat(hit.documentName()).isEqualTo("guide.pdf");
            assertThat(hit.knowledgeBaseId()).isEqualTo(kb);
            assertThat(hit.ordinal()).isZero();
            assertThat(hit.location()).isEqualTo("page 1");
            assertThat(hit.text()).isEqualTo("The installer needs root rights.");
            assertThat(hit.score()).isPositive();
        });
        List<ChunkHit> dense = index.dense(tenant, Set.of(kb), MODEL, unit(0, 1, 0, 0), 10);
        assertThat(dense).extracting(ChunkHit::ordinal).containsExactly(1, 0);
        assertThat(dense.getFirst().score()).isCloseTo(1.0, within(1e-5));
        assertThat(dense.get(1).score()).isCloseTo(0.0, within(1e-5));
        assertThat(index.countDocumentChunks(tenant, document)).isEqualTo(2);
        assertThat(index.isEmpty()).isFalse();
    }

    @Test
    void nothingOfAnotherTenantOrKnowledgeBaseIsReturnedAndTopKIsFilledWithinTheScope() {
        UUID document = UUID.randomUUID();
        List<IndexedChunk> chunks = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            // others' chunks are the closest matches, to tempt an unfiltered search
            chunks.add(chunk(otherTenant, kb, document, i, "root password reset root password", unit(1, 0.01f * i, 0, 0)));
            chunks.add(chunk(tenant, otherKb, document, i, "root password reset root password", unit(1, 0.01f * i, 0, 0)));
        }
        for (int i = 0; i < 5; i++) {
            chunks.add(chunk(tenant, kb, document, i, "the root password is in the vault, entry " + i, unit(0.2f, 1, 0.1f * i, 0)));
        }
        index.upsert(chunks);

        assertThat(index.dense(tenant, Set.of(kb), MODEL, unit(1, 0, 0, 0), 5)).hasSize(5)
                .allSatisfy(hit -> assertThat(hit.knowledgeBaseId()).isEqualTo(kb)).allSatisfy(hit -> assertThat(hit.text()).contains(
                        "vault"));
        assertThat(index.lexical(tenant, Set.of(kb), "root password reset", 5)).hasSize(5)
                .allSatisfy(hit -> assertThat(hit.text()).contains("vault"));
        assertThat(index.dense(tenant, Set.of(kb, otherKb), MODEL, unit(1, 0, 0, 0), 100)).hasSize(35);
        assertThat(index.lexical(UUID.randomUUID(), Set.of(kb, otherKb), "root password", 10)).isEmpty();
        assertThat(index.dense(tenant, Set.of(), MODEL, unit(1, 0, 0, 0), 10)).isEmpty();
        assertThat(index.countDocumentChunks(tenant, document)).isEqualTo(35);
    }

    @Test
    void candidatesAreTheTwoSearchesAndTheQueryTermsReadAreThoseTheTextsContain() {
        UUID document = UUID.randomUUID();
        index.upsert(List.of(chunk(tenant, kb, document, 0, "The installer needs root rights on Linux.", unit(1, 0, 0, 0)),
                chunk(tenant, kb, document, 1, "Restart the service after upgrading.", unit(0, 1, 0, 0)),
                chunk(tenant, kb, document, 2, "Installing the agent: copy the binaries, then restart.", unit(0, 0, 1, 0)),
                chunk(otherTenant, kb, document, 3, "Installing as root elsewhere.", unit(1, 0, 0, 0))));
        String query = "installing as root, then restarting";

        Candidates candidates = index.candidates(tenant, Set.of(kb), MODEL, unit(1, 0.5f, 0, 0), query, 10);

        List<ChunkHit> dense = index.dense(tenant, Set.of(kb), MODEL, unit(1, 0.5f, 0, 0), 10);
        List<ChunkHit> lexical = index.lexical(tenant, Set.of(kb), query, 10);
        assertThat(candidates.dense()).extracting(ChunkHit::chunkId, ChunkHit::score).isEqualTo(dense.stream().map(
                hit -> org.assertj.core.groups.Tuple.tuple(hit.chunkId(), hit.score())).toList());
        assertThat(candidates.lexical()).extracting(ChunkHit::chunkId).isEqualTo(lexical.stream().map(ChunkHit::chunkId).toList());
        assertThat(candidates.complete(candidates.dense())).as("the hits in full, scores kept").isEqualTo(dense);
        assertThat(candidates.complete(candidates.lexical())).isEqualTo(lexical);
        for (ChunkHit hit : candidates.complete(candidates.dense())) {
            Set<String> read = candidates.queryTerms().in(hit.chunkId(), TextAnalysis.ENGLISH_PORTER);
            if (read != null) {
                Set<String> expected = new java.util.HashSet<>(terms(hit.text()));
                expected.retainAll(terms(query));
                assertThat(read).as(hit.text()).isEqualTo(expected);
            }
        }
        assertThat(candidates.queryTerms().in(candidates.dense().getFirst().chunkId(), TextAnalysis.STANDARD))
                .as("terms of another analysis are never handed out").isNull();
        assertThat(index.candidates(tenant, Set.of(), MODEL, unit(1, 0, 0, 0), query, 10).dense()).isEmpty();
    }

    private static List<String> terms(String text) {
        return List.copyOf(Queries.terms(TextAnalysis.ENGLISH_PORTER.analyzer(), text).keySet());
    }

    @Test
    void upsertIsIdempotentPerChunkId() {
        UUID document = UUID.randomUUID();
        IndexedChunk first = chunk(tenant, kb, document, 0, "Old wording about backups.", unit(1, 0, 0, 0));
        index.upsert(List.of(first));
        index.upsert(List.of(first));
        IndexedChunk rewritten = new IndexedChunk(tenant, kb, document, "guide.pdf", first.chunkId(), 0, "page 1",
                "New wording about snapshots.",
                MODEL, unit(0, 0, 1, 0));
        index.upsert(List.of(rewritten));

        assertThat(index.countDocumentChunks(tenant, document)).isEqualTo(1);
        assertThat(index.lexical(tenant, Set.of(kb), "backups", 10)).isEmpty();
        assertThat(index.lexical(tenant, Set.of(kb), "snapshots", 10)).singleElement().extracting(ChunkHit::chunkId).isEqualTo(first
                .chunkId());
        assertThat(index.dense(tenant, Set.of(kb), MODEL, unit(0, 0, 1, 0), 10)).singleElement().extracting(ChunkHit::text)
                .isEqualTo("New wording about snapshots.");
    }

    @Test
    void reEmbeddingAChunkReplacesItsVectorAndTheOldModelsLeftoversCanBeRemoved() {
        UUID document = UUID.randomUUID();
        UUID orphan = UUID.randomUUID();
        index.upsert(List.of(chunk(tenant, kb, document, 0, "Rotate the keys yearly.", unit(1, 0, 0, 0)),
                chunk(otherTenant, otherKb, orphan, 0, "Left behind by a deleted document.", unit(0, 1, 0, 0))));
        IndexedChunk old = chunk(tenant, kb, document, 0, "Rotate the keys yearly.", unit(1, 0, 0, 0));
        index.upsert(List.of(new IndexedChunk(old.tenantId(), old.knowledgeBaseId(), old.documentId(), old.documentName(), old.chunkId(),
                old.ordinal(), old.location(), old.text(), "new-model", unit(0, 0, 1))));

        assertThat(index.countDocumentChunks(tenant, document)).as("one copy").isEqualTo(1);
        assertThat(index.dense(tenant, Set.of(kb), MODEL, unit(1, 0, 0, 0), 10)).as("the old vector was replaced").isEmpty();
        assertThat(index.dense(tenant, Set.of(kb), "new-model", unit(0, 0, 1), 10)).hasSize(1);

        index.deleteChunksNotEmbeddedBy("new-model");
        assertThat(index.countDocumentChunks(otherTenant, orphan)).isZero();
        assertThat(index.countDocumentChunks(tenant, document)).isEqualTo(1);
        assertThat(index.lexical(tenant, Set.of(kb), "rotate keys", 10)).hasSize(1);
    }

    @Test
    void deleteDocumentRemovesAllItsChunksAndOnlyInItsTenant() {
        UUID document = UUID.randomUUID();
        UUID kept = UUID.randomUUID();
        index.upsert(List.of(chunk(tenant, kb, document, 0, "alpha", unit(1, 0, 0, 0)), chunk(tenant, kb, document, 1, "alpha beta", unit(1,
                1, 0, 0)),
                chunk(tenant, kb, kept, 0, "alpha gamma", unit(1, 0, 1, 0)), chunk(otherTenant, kb, document, 0, "alpha", unit(1, 0, 0,
                        0))));

        index.deleteDocument(tenant, document);

        assertThat(index.countDocumentChunks(tenant, document)).isZero();
        assertThat(index.countDocumentChunks(tenant, kept)).isEqualTo(1);
        assertThat(index.countDocumentChunks(otherTenant, document)).isEqualTo(1);
        assertThat(index.lexical(tenant, Set.of(kb), "alpha", 10)).extracting(ChunkHit::documentId).containsOnly(kept);
        assertThat(index.dense(tenant, Set.of(kb), MODEL, unit(1, 0, 0, 0), 10)).extracting(ChunkHit::documentId).containsOnly(kept);
    }

    @Test
    void dataSurvivesClosingAndReopening() throws Exception {
        UUID document = UUID.randomUUID();
        index.upsert(List.of(chunk(tenant, kb, document, 0, "Durable text about invoices.", unit(0, 0, 0, 1))));

        index = reopen();
        assertThat(index.countDocumentChunks(tenant, document)).isEqualTo(1);
        assertThat(index.lexical(tenant, Set.of(kb), "invoice", 10)).hasSize(1);
        assertThat(index.dense(tenant, Set.of(kb), MODEL, unit(0, 0, 0, 1), 10)).hasSize(1);
    }

    @Test
    void queriesWithoutSearchableTermsOrWithQuerySyntaxAreJustText() {
        index.upsert(List.of(chunk(tenant, kb, UUID.randomUUID(), 0, "C++ and C# compilers: AND, OR, NOT are operators.", unit(1, 0, 0,
                0))));

        assertThat(index.lexical(tenant, Set.of(kb), "the and of", 10)).isEmpty();
        assertThat(index.lexical(tenant, Set.of(kb), "", 10)).isEmpty();
        assertThat(index.lexical(tenant, Set.of(kb), "C++ (compilers) OR title:\"x* ~2", 10)).hasSize(1);
    }

    @Test
    void vectorsThatAreNotUnitLengthAreNormalised() {
        index.upsert(List.of(chunk(tenant, kb, UUID.randomUUID(), 0, "scaled", 3, 4, 0, 0)));
        assertThat(index.dense(tenant, Set.of(kb), MODEL, new float[] {6, 8, 0, 0}, 1)).singleElement()
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
                            chunks.add(chunk(tenant, kb, document, batch * 5 + i, "concurrent text " + batch, unit(1, batch, i, 1)));
                        }
                        index.upsert(chunks);
                        assertThat(index.countDocumentChunks(tenant, document)).isEqualTo(batch * 5 + 5);
                        assertThat(index.lexical(tenant, Set.of(kb), "concurrent", 10)).isNotEmpty();
                        assertThat(index.dense(tenant, Set.of(kb), MODEL, unit(1, 0, 0, 0), 10)).isNotEmpty();
                    }
                    return null;
                }));
            }
            for (Future<?> future : work) {
                future.get();
            }
            for (UUID document : documents) {
                assertThat(index.countDocumentChunks(tenant, document)).isEqualTo(50);
            }
        }
        finally {
            pool.shutdownNow();
        }
    }

    @Test
    void denseSearchComparesOnlyVectorsOfTheQueriedModel() {
        UUID document = UUID.randomUUID();
        IndexedChunk small = chunk(tenant, kb, document, 0, "embedded by the small model", unit(1, 0, 0, 0));
        IndexedChunk large = new IndexedChunk(tenant, kb, document, "guide.pdf", UUID.randomUUID(), 1, "", "embedded by the large model",
                "large-model", unit(1, 0, 0, 0, 0, 0));
        index.upsert(List.of(small, large));

        assertThat(index.dense(tenant, Set.of(kb), MODEL, unit(1, 0, 0, 0), 10)).extracting(ChunkHit::chunkId).containsExactly(small
                .chunkId());
        assertThat(index.dense(tenant, Set.of(kb), "large-model", unit(1, 0, 0, 0, 0, 0), 10)).extracting(ChunkHit::chunkId)
                .containsExactly(large.chunkId());
        assertThat(index.dense(tenant, Set.of(kb), "unknown-model", unit(1, 0, 0, 0), 10)).isEmpty();
        assertThat(index.countDocumentChunks(tenant, document)).isEqualTo(2);
    }

    @Test
    void lexicalMatchesAnyQueryTermAndRanksChunksWithMoreOfThemFirst() {
        UUID document = UUID.randomUUID();
        index.upsert(List.of(chunk(tenant, kb, document, 0, "Backups run nightly.", unit(1, 0, 0, 0)),
                chunk(tenant, kb, document, 1, "Encrypted backups are restored with the vault key.", unit(0, 1, 0, 0)),
                chunk(tenant, kb, document, 2, "The cafeteria opens at noon.", unit(0, 0, 1, 0))));

        List<ChunkHit> hits = index.lexical(tenant, Set.of(kb), "restore encrypted backups", 10);

        assertThat(hits).extracting(ChunkHit::ordinal).containsExactly(1, 0);
        assertThat(hits).allSatisfy(hit -> assertThat(hit.score()).isPositive());
        assertThat(hits.get(0).score()).isGreaterThan(hits.get(1).score());
    }
}
