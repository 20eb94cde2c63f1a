package dev.switchboard.knowledge.internal.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.MultiReader;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The index contract on Lucene: a fresh index directory per test. */
class LuceneChunkIndexTests extends ChunkIndexContractTests {

    @TempDir
    Path directory;

    @Override
    ChunkIndex open() throws IOException {
        return new LuceneChunkIndex(directory);
    }

    @Override
    ChunkIndex reopen() throws IOException {
        ((LuceneChunkIndex) index).close();
        return new LuceneChunkIndex(directory);
    }

    @Test
    void aNewIndexIsEmptyAndOneWithAnyTenantsChunkIsNot() {
        assertThat(index.isEmpty()).isTrue();
        UUID document = UUID.randomUUID();
        index.upsert(List.of(chunk(tenant, kb, document, 0, "Any text.", unit(1, 0, 0, 0))));
        assertThat(index.isEmpty()).isFalse();
        index.deleteDocument(tenant, document);
        assertThat(index.isEmpty()).isTrue();
    }

    @Test
    void theQueryTermsOfEveryCandidateAreReadFromThePostings() {
        UUID document = UUID.randomUUID();
        index.upsert(List.of(chunk(tenant, kb, document, 0, "The installer needs root rights on Linux.", unit(1, 0, 0, 0)),
                chunk(tenant, kb, document, 1, "Restart the service after upgrading.", unit(0, 1, 0, 0))));
        index.upsert(List.of(chunk(tenant, kb, document, 2, "Installing the agent: copy the binaries, then restart.", unit(0, 0, 1, 0))));

        Candidates candidates = index.candidates(tenant, Set.of(kb), MODEL, unit(1, 0, 0, 0), "installing as root, then restarting", 10);

        assertThat(candidates.dense()).hasSize(3).allSatisfy(hit -> assertThat(candidates.queryTerms().in(hit.chunkId(),
                TextAnalysis.ENGLISH_PORTER)).isNotNull()).as("bare: no stored field read").allSatisfy(hit -> assertThat(hit.text())
                        .isNull());
        List<ChunkHit> read = candidates.complete(candidates.dense());
        assertThat(read).extracting(ChunkHit::chunkId).isEqualTo(candidates.dense().stream().map(ChunkHit::chunkId).toList());
        assertThat(read).filteredOn(hit -> hit.ordinal() == 0).singleElement().satisfies(hit -> assertThat(
                candidates.queryTerms().in(hit.chunkId(), TextAnalysis.ENGLISH_PORTER)).containsExactlyInAnyOrder("instal", "root"));
        assertThat(read).filteredOn(hit -> hit.ordinal() == 1).singleElement().satisfies(hit -> assertThat(
                candidates.queryTerms().in(hit.chunkId(), TextAnalysis.ENGLISH_PORTER)).containsExactly("restart"));
    }

    @Test
    void chunksWrittenBeforeTheirIdsWereDocValuesAreReadInFull() throws IOException {
        UUID document = UUID.randomUUID();
        IndexedChunk chunk = chunk(tenant, kb, document, 0, "Rotate the keys yearly.", unit(1, 0, 0, 0));
        ((LuceneChunkIndex) index).close();
        // a chunk as written before: the same fields without chunk_key
        try (FSDirectory dir = FSDirectory.open(directory);
                IndexWriter writer = new IndexWriter(dir, new IndexWriterConfig(TextAnalysis.ENGLISH_PORTER.analyzer()))) {
            Document old = new Document();
            ChunkDocuments.toDocument(chunk).getFields().stream().filter(field -> !field.name().equals(ChunkDocuments.CHUNK_KEY)).forEach(
                    old::add);
            writer.addDocument(old);
        }
        index = new LuceneChunkIndex(directory);

        Candidates candidates = index.candidates(tenant, Set.of(kb), MODEL, unit(1, 0, 0, 0), "rotating keys", 10);

        assertThat(candidates.dense()).singleElement().satisfies(hit -> assertThat(hit.text()).isEqualTo("Rotate the keys yearly."));
        assertThat(candidates.queryTerms().in(chunk.chunkId(), TextAnalysis.ENGLISH_PORTER)).containsExactlyInAnyOrder("rotat", "kei");
    }

    @Test
    void theFollowerLeavesAChunkTheIndexHoldsAsItsRowIsAndWritesOneThatDiffers() {
        UUID document = UUID.randomUUID();
        IndexedChunk ingested = chunk(tenant, kb, document, 0, "Rotate the keys yearly.", unit(1, 0, 0, 0));
        index.upsert(List.of(ingested));
        LuceneChunkIndex lucene = (LuceneChunkIndex) index;
        IndexedChunk row = new IndexedChunk(tenant, kb, document, ingested.documentName(), ingested.chunkId(), 0,
                ingested.location(), ingested.text(), MODEL, ingested.vector().clone());

        assertThat(lucene.readAndApply(() -> List.of(row))).as("the same chunk, read back from its row")
                .isEqualTo(new LuceneChunkIndex.Page(1, 0));

        IndexedChunk renamed = new IndexedChunk(tenant, kb, document, "renamed.md", row.chunkId(), 0, row.location(), row.text(),
                MODEL, row.vector());
        IndexedChunk reworded = chunk(tenant, kb, document, 1, "Rotate the keys monthly.", unit(0, 1, 0, 0));
        IndexedChunk moved = new IndexedChunk(tenant, kb, document, reworded.documentName(), reworded.chunkId(), 1,
                reworded.location(), reworded.text(), MODEL, unit(0, 0, 1, 0));
        index.upsert(List.of(reworded));

        assertThat(lucene.readAndApply(() -> List.of(renamed, moved))).as("a new name, a new vector")
                .isEqualTo(new LuceneChunkIndex.Page(2, 2));
        assertThat(index.lexical(tenant, Set.of(kb), "yearly", 10)).singleElement().extracting(ChunkHit::documentName)
                .isEqualTo("renamed.md");
        assertThat(index.dense(tenant, Set.of(kb), MODEL, unit(0, 0, 1, 0), 1)).singleElement().extracting(ChunkHit::chunkId)
                .isEqualTo(moved.chunkId());
        assertThat(lucene.readAndApply(() -> List.of(renamed, moved))).as("both are now as their rows are")
                .isEqualTo(new LuceneChunkIndex.Page(2, 0));
        assertThat(index.countDocumentChunks(tenant, document)).isEqualTo(2);
    }

    @Test
    void fingerprintsDifferWhenAnyFieldDoes() {
        IndexedChunk chunk = chunk(tenant, kb, UUID.randomUUID(), 0, "Rotate the keys yearly.", unit(1, 0, 0, 0));
        byte[] fingerprint = ChunkDocuments.fingerprint(chunk);
        List<IndexedChunk> others = List.of(
                new IndexedChunk(UUID.randomUUID(), chunk.knowledgeBaseId(), chunk.documentId(), chunk.documentName(), chunk.chunkId(),
                        chunk.ordinal(), chunk.location(), chunk.text(), chunk.model(), chunk.vector()),
                new IndexedChunk(chunk.tenantId(), chunk.knowledgeBaseId(), chunk.documentId(), chunk.documentName(), chunk.chunkId(),
                        1, chunk.location(), chunk.text(), chunk.model(), chunk.vector()),
                new IndexedChunk(chunk.tenantId(), chunk.knowledgeBaseId(), chunk.documentId(), null, chunk.chunkId(), chunk.ordinal(),
                        "", chunk.text(), chunk.model(), chunk.vector()),
                new IndexedChunk(chunk.tenantId(), chunk.knowledgeBaseId(), chunk.documentId(), chunk.documentName(), chunk.chunkId(),
                        chunk.ordinal(), chunk.location(), chunk.text() + " ", chunk.model(), chunk.vector()),
                new IndexedChunk(chunk.tenantId(), chunk.knowledgeBaseId(), chunk.documentId(), chunk.documentName(), chunk.chunkId(),
                        chunk.ordinal(), chunk.location(), chunk.text(), "other-model", chunk.vector()),
                new IndexedChunk(chunk.tenantId(), chunk.knowledgeBaseId(), chunk.documentId(), chunk.documentName(), chunk.chunkId(),
                        chunk.ordinal(), chunk.location(), chunk.text(), chunk.model(), unit(1, 0, 0, 1e-6f)));

        assertThat(ChunkDocuments.fingerprint(chunk)).hasSize(16).isEqualTo(fingerprint);
        for (IndexedChunk other : others) {
            assertThat(ChunkDocuments.fingerprint(other)).isNotEqualTo(fingerprint);
        }
    }

    /**
     * The end of a re-index against a follower's page read before the last vectors were recorded (the old model's), with
     * the removal started between the page's read and its write: once the removal returns, no chunk is left without a
     * vector of the new model (before the fix, the page was written after the removal and stayed).
     */
    @Test
    void removingTheOldModelsChunksWaitsForAFollowerPageReadBefore() throws Exception {
        UUID document = UUID.randomUUID();
        IndexedChunk reembedded = chunk(tenant, kb, document, 0, "Rotate the keys yearly.", unit(1, 0, 0, 0));
        index.upsert(List.of(reembedded));
        IndexedChunk stale = new IndexedChunk(tenant, kb, document, reembedded.documentName(), reembedded.chunkId(), 0,
                reembedded.location(), reembedded.text(), "test-old-model", unit(0, 1, 0, 0));
        LuceneChunkIndex lucene = (LuceneChunkIndex) index;
        AtomicReference<Thread> removal = new AtomicReference<>();

        lucene.readAndApply(() -> {
            removal.set(Thread.ofPlatform().start(() -> lucene.deleteChunksNotEmbeddedBy(MODEL)));
            // The removal runs to its end, or waits for this page to be written.
            await().atMost(Duration.ofSeconds(30)).until(() -> !removal.get().isAlive() || removal.get()
                    .getState() == Thread.State.BLOCKED);
            return List.of(stale);
        });
        removal.get().join(Duration.ofSeconds(30));

        assertThat(removal.get().isAlive()).isFalse();
        assertThat(index.dense(tenant, Set.of(kb), "test-old-model", unit(0, 1, 0, 0), 10)).as("chunks of the old model only")
                .isEmpty();
    }

    @Test
    void aSearchesScopeIsFilteredThroughABitSetKeptPerSegmentWithTheSameHits() throws IOException {
        UUID otherKb = UUID.randomUUID();
        UUID otherTenant = UUID.randomUUID();
        List<IndexedChunk> chunks = new ArrayList<>();
        int perBase = LuceneChunkIndex.FILTER_CACHE_MIN_DOCS / 3 + 1;
        for (int i = 0; i < perBase; i++) {
            chunks.add(chunk(tenant, kb, UUID.randomUUID(), 0, "Backups run nightly " + i, unit(1, i % 7, 0, 0)));
            chunks.add(chunk(tenant, otherKb, UUID.randomUUID(), 0, "Backups run weekly " + i, unit(1, 0, i % 7, 0)));
            chunks.add(chunk(otherTenant, kb, UUID.randomUUID(), 0, "Backups run monthly " + i, unit(1, 0, 0, i % 7)));
        }
        LuceneChunkIndex lucene = (LuceneChunkIndex) index;
        lucene.upsert(chunks);
        lucene.mergeSegments();
        assertThat(lucene.segments()).isOne();

        for (int round = 0; round < 2; round++) {
            assertThat(lucene.lexical(tenant, Set.of(kb), "backups nightly", 5000)).as("round %d", round).hasSize(perBase)
                    .allSatisfy(hit -> assertThat(hit.knowledgeBaseId()).isEqualTo(kb));
            assertThat(lucene.lexical(tenant, Set.of(kb), "weekly monthly", 10)).as("other scopes' words only").isEmpty();
            assertThat(lucene.dense(tenant, Set.of(kb), MODEL, unit(1, 0, 0, 6), 50)).hasSize(50)
                    .allSatisfy(hit -> assertThat(hit.knowledgeBaseId()).isEqualTo(kb));
            assertThat(lucene.lexical(tenant, Set.of(kb, otherKb), "backups", 3 * perBase)).hasSize(2 * perBase);
        }
        assertThat(lucene.filters().getCacheSize()).as("scopes cached").isPositive();
        assertThat(new IndexSearcher(new MultiReader()).rewrite(Queries.lexical(Map.of("backups", 1), Queries.scope(tenant, Set.of(
                kb)))).toString()).as("the scope kept whole inside BM25, not flattened into its clauses").contains("scope(");
        assertThat(lucene.filters().getHitCount()).as("found in the second round").isPositive();
    }

    @Test
    void onceIdleTheSegmentsAreMergedIntoOneAndCommitted(@TempDir Path merged) throws IOException {
        LuceneChunkIndex lucene = new LuceneChunkIndex(merged, LuceneIndexSettings.DEFAULT, Duration.ofMillis(100));
        try {
            for (int i = 0; i < 3; i++) {
                lucene.upsert(List.of(chunk(tenant, kb, UUID.randomUUID(), 0, "Backups run nightly, batch " + i, unit(1, i, 0, 0))));
            }

            await().atMost(Duration.ofSeconds(30)).until(() -> lucene.segments() == 1);
            assertThat(lucene.dense(tenant, Set.of(kb), MODEL, unit(1, 0, 0, 0), 10)).hasSize(3);
        }
        finally {
            lucene.close();
        }
        try (LuceneChunkIndex reopened = new LuceneChunkIndex(merged)) {
            assertThat(reopened.segments()).as("the merge was committed").isEqualTo(1);
            assertThat(reopened.lexical(tenant, Set.of(kb), "backups", 10)).hasSize(3);
        }
    }

    @Test
    void closingDuringAMergeKeepsEveryCommittedChunk(@TempDir Path merging) throws Exception {
        LuceneChunkIndex lucene = new LuceneChunkIndex(merging, LuceneIndexSettings.DEFAULT, Duration.ZERO);
        for (int batch = 0; batch < 4; batch++) {
            List<IndexedChunk> chunks = new java.util.ArrayList<>();
            for (int i = 0; i < 50; i++) {
                chunks.add(chunk(tenant, kb, UUID.randomUUID(), 0, "Backups run nightly " + batch + " " + i, unit(1, batch, i, 0)));
            }
            lucene.upsert(chunks);
        }
        Thread merge = Thread.ofPlatform().start(() -> {
            try {
                lucene.mergeSegments();
            }
            catch (RuntimeException closedMeanwhile) {
                // the close below may abort the merge: what matters is what the index holds afterwards
            }
        });
        lucene.close();
        merge.join(Duration.ofSeconds(30));

        assertThat(merge.isAlive()).as("the merge did not outlive the close").isFalse();
        try (LuceneChunkIndex reopened = new LuceneChunkIndex(merging)) {
            assertThat(reopened.lexical(tenant, Set.of(kb), "backups", 500)).hasSize(200);
        }
    }

    @Test
    void aWriteSmallNextToTheIndexDoesNotMakeItRewritten() {
        LuceneChunkIndex lucene = (LuceneChunkIndex) index;
        for (int batch = 0; batch < 2; batch++) {
            List<IndexedChunk> chunks = new java.util.ArrayList<>();
            for (int i = 0; i < 10; i++) {
                chunks.add(chunk(tenant, kb, UUID.randomUUID(), 0, "Backups run nightly " + batch + " " + i, unit(1, batch, i, 0)));
            }
            lucene.upsert(chunks);
        }
        lucene.mergeSegments();
        assertThat(lucene.segments()).isEqualTo(1);

        lucene.upsert(List.of(chunk(tenant, kb, UUID.randomUUID(), 0, "One more backup note.", unit(0, 1, 0, 0))));
        lucene.mergeSegments();

        assertThat(lucene.segments()).as("1 chunk of 21 outside the largest segment: not worth a rewrite").isEqualTo(2);
        assertThat(lucene.lexical(tenant, Set.of(kb), "backup", 30)).hasSize(21);
    }

    @Test
    void smallWritesAreMergedAmongThemselvesLeavingTheSegmentAboveTheFloorAsItIs(@TempDir Path growing) throws IOException {
        double floorMb = 0.01;
        try (LuceneChunkIndex lucene = new LuceneChunkIndex(growing, LuceneIndexSettings.DEFAULT, Duration.ZERO,
                LuceneChunkIndex.FILTER_CACHE_MIN_DOCS, floorMb)) {
            List<IndexedChunk> chunks = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                chunks.add(chunk(tenant, kb, UUID.randomUUID(), 0, "Backups run nightly at " + i + " past " + (i * 7919 % 1000),
                        unit(1, i % 13, i % 7, 0)));
            }
            lucene.upsert(chunks);
            lucene.mergeSegments();
            String large = lucene.segmentNames().iterator().next();

            for (int i = 0; i < 30; i++) {
                lucene.upsert(List.of(chunk(tenant, kb, UUID.randomUUID(), 0, "Restores are tested weekly " + i, unit(0, 1, i, 0))));
            }

            assertThat(lucene.segmentNames()).as("merged meanwhile: fewer segments than writes").hasSizeLessThan(31)
                    .as("the large segment was not rewritten with them").contains(large);
            assertThat(lucene.lexical(tenant, Set.of(kb), "backups restores", 1000)).hasSize(430);
        }
    }

    @Test
    void theScopeFilterIsLeftOutOnlyWhenEveryChunkIsInScope() throws IOException {
        UUID otherBase = UUID.randomUUID();
        UUID otherTenant = UUID.randomUUID();
        UUID kept = UUID.randomUUID();
        try (Directory memory = new ByteBuffersDirectory();
                IndexWriter writer = new IndexWriter(memory, new IndexWriterConfig(TextAnalysis.ENGLISH_PORTER.analyzer()))) {
            writer.addDocument(ChunkDocuments.toDocument(chunk(tenant, kb, kept, 0, "Backups run nightly.", unit(1, 0, 0, 0))));
            writer.commit();
            try (DirectoryReader reader = DirectoryReader.open(writer)) {
                assertThat(Queries.scope(reader, tenant, Set.of(kb))).as("one tenant, one base: nothing to filter").isNull();
                assertThat(Queries.scope(reader, tenant, Set.of(kb, otherBase))).isNull();
                assertThat(Queries.scope(reader, tenant, Set.of(otherBase))).isNotNull();
                assertThat(Queries.scope(reader, otherTenant, Set.of(kb))).isNotNull();
            }
            UUID other = UUID.randomUUID();
            writer.addDocument(ChunkDocuments.toDocument(chunk(tenant, otherBase, other, 0, "Backups of the other base.", unit(0, 1, 0,
                    0))));
            writer.commit();
            try (DirectoryReader reader = DirectoryReader.open(writer)) {
                assertThat(Queries.scope(reader, tenant, Set.of(kb))).as("another base's chunk: filtered").isNotNull();
                assertThat(Queries.scope(reader, tenant, Set.of(kb, otherBase))).isNull();
            }
            writer.addDocument(ChunkDocuments.toDocument(chunk(otherTenant, UUID.randomUUID(), UUID.randomUUID(), 0, "Backups.", unit(0,
                    0, 1, 0))));
            writer.deleteDocuments(new Term(ChunkDocuments.DOCUMENT, other.toString()));
            writer.commit();
            try (DirectoryReader reader = DirectoryReader.open(writer)) {
                assertThat(Queries.scope(reader, tenant, Set.of(kb, otherBase))).as("another tenant's chunk: filtered").isNotNull();
            }
        }
    }

    @Test
    void aSearchOverTheWholeIndexFindsWhatAFilteredOneFinds() {
        UUID otherBase = UUID.randomUUID();
        for (int i = 0; i < 5; i++) {
            index.upsert(List.of(chunk(tenant, kb, UUID.randomUUID(), 0, "Backups run nightly at " + i, unit(1, i, 0, 0)),
                    chunk(tenant, otherBase, UUID.randomUUID(), 0, "Backups of the archive at " + i, unit(1, 0, i, 0))));
        }

        List<ChunkHit> unfiltered = index.lexical(tenant, Set.of(kb, otherBase), "backups", 20);
        assertThat(unfiltered).hasSize(10);
        assertThat(index.dense(tenant, Set.of(kb, otherBase), MODEL, unit(1, 0, 0, 0), 20)).hasSize(10);
        assertThat(index.lexical(tenant, Set.of(kb), "backups", 20)).hasSize(5).allSatisfy(hit -> assertThat(hit.knowledgeBaseId())
                .isEqualTo(kb));
        assertThat(index.dense(tenant, Set.of(otherBase), MODEL, unit(1, 0, 0, 0), 20)).hasSize(5).allSatisfy(hit -> assertThat(hit
                .knowledgeBaseId()).isEqualTo(otherBase));
        Candidates candidates = index.candidates(tenant, Set.of(kb), MODEL, unit(1, 0, 0, 0), "backups", 20);
        assertThat(candidates.complete(candidates.dense())).hasSize(5).allSatisfy(hit -> assertThat(hit.knowledgeBaseId()).isEqualTo(
                kb));
        assertThat(index.lexical(UUID.randomUUID(), Set.of(kb, otherBase), "backups", 20)).as("another tenant").isEmpty();
    }

    @AfterEach
    void close() throws IOException {
        ((LuceneChunkIndex) index).close();
    }
}
