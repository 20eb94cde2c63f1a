package dev.switchboard.knowledge.internal.retrieval;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.switchboard.knowledge.internal.embedding.BgeSmallEmbedder;
import dev.switchboard.knowledge.internal.index.ChunkHit;
import dev.switchboard.knowledge.internal.index.IndexedChunk;
import dev.switchboard.knowledge.internal.index.LuceneChunkIndex;

/** The retriever over the real embedder and index, on a small handbook. */
class HybridRetrieverTests {

    static final UUID TENANT = UUID.randomUUID();
    static final UUID KB = UUID.randomUUID();
    static final List<String> HANDBOOK = List.of(
            "Installation > Linux\n\nRun the installer script as root; it places the service under /opt/switchboard.",
            "Installation > Windows\n\nDouble-click setup.exe and follow the wizard.",
            "Troubleshooting\n\nError ERR-4031 means the licence file is missing; copy it to the config folder.",
            "Backups\n\nSnapshots of the data directory are taken nightly and kept for thirty days.",
            "Upgrades\n\nStop the service, replace the binaries, then start it again; the schema migrates itself.");

    @TempDir
    static Path directory;

    static BgeSmallEmbedder embedder;
    static LuceneChunkIndex index;
    static HybridRetriever retriever;

    @BeforeAll
    static void indexHandbook() throws IOException {
        embedder = new BgeSmallEmbedder(2);
        index = new LuceneChunkIndex(directory);
        List<float[]> vectors = embedder.embedDocuments(HANDBOOK);
        List<IndexedChunk> chunks = new ArrayList<>();
        UUID document = UUID.randomUUID();
        for (int i = 0; i < HANDBOOK.size(); i++) {
            chunks.add(new IndexedChunk(TENANT, KB, document, "handbook.md", UUID.randomUUID(), i, "", HANDBOOK.get(i), embedder.modelId(),
                    vectors.get(i)));
        }
        index.upsert(chunks);
        retriever = new HybridRetriever(index, embedder);
    }

    @AfterAll
    static void close() throws IOException {
        index.close();
        embedder.close();
    }

    @Test
    void paraphrasesAreFoundThroughTheEmbedding() {
        List<ChunkHit> hits = retriever.search(TENANT, Set.of(KB), "how long are copies of my data retained?", 3);
        assertThat(hits.getFirst().text()).contains("Snapshots");
    }

    @Test
    void exactCodesAreFoundThroughBm25() {
        List<ChunkHit> hits = retriever.search(TENANT, Set.of(KB), "ERR-4031", 2);
        assertThat(hits.getFirst().text()).contains("ERR-4031");
    }

    @Test
    void fusedScoresAreDescendingAndTopKIsRespected() {
        List<ChunkHit> hits = retriever.search(TENANT, Set.of(KB), "install on Linux", 4);
        assertThat(hits).hasSize(4);
        assertThat(hits.getFirst().text()).contains("Linux");
        assertThat(hits).extracting(ChunkHit::score).isSortedAccordingTo((a, b) -> Double.compare(b, a));
    }

    @Test
    void topSimilaritySeparatesAnswerableFromUnrelatedQuestions() {
        Retrieval answerable = retriever.retrieve(TENANT, Set.of(KB), "How do I upgrade to a new version?", 3);
        Retrieval unrelated = retriever.retrieve(TENANT, Set.of(KB), "What is the best pizza topping?", 3);

        assertThat(answerable.topSimilarity()).isGreaterThan(unrelated.topSimilarity());
        assertThat(answerable.relevant()).isTrue();
        assertThat(unrelated.relevant()).isFalse();
        assertThat(unrelated.hits()).isNotEmpty();
    }

    @Test
    void blankQueriesAndEmptyScopesFindNothing() {
        assertThat(retriever.retrieve(TENANT, Set.of(KB), "  ", 5).hits()).isEmpty();
        assertThat(retriever.retrieve(TENANT, Set.of(), "install", 5)).satisfies(retrieval -> {
            assertThat(retrieval.hits()).isEmpty();
            assertThat(retrieval.relevant()).isFalse();
        });
        assertThat(retriever.retrieve(UUID.randomUUID(), Set.of(KB), "install", 5).hits()).isEmpty();
    }
}
