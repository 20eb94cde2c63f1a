package dev.switchboard.knowledge.internal.retrieval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.switchboard.knowledge.internal.chunking.Chunk;
import dev.switchboard.knowledge.internal.chunking.Chunker;
import dev.switchboard.knowledge.internal.chunking.ChunkingPolicy;
import dev.switchboard.knowledge.internal.chunking.WordPieceTokenCounter;
import dev.switchboard.knowledge.internal.embedding.Embedder;
import dev.switchboard.knowledge.internal.index.ChunkHit;
import dev.switchboard.knowledge.internal.index.IndexedChunk;
import dev.switchboard.knowledge.internal.index.LuceneChunkIndex;
import dev.switchboard.knowledge.internal.parsing.DocumentParser;
import dev.switchboard.knowledge.internal.parsing.DocumentTypes;
import dev.switchboard.knowledge.internal.parsing.UnreadableDocument;

/**
 * The answer-quality set through the real pipeline: each document's type detected from its content, parsed, chunked
 * with the default policy, embedded by the given model and written to a real Lucene index, one knowledge base per
 * organisation; then each question searched in its organisation's knowledge base by {@link HybridRetriever}, as a
 * chat turn would ({@code passages} hits).
 */
final class AnswerQualityBench implements AutoCloseable {

    static final UUID TENANT = UUID.nameUUIDFromBytes("answer-quality".getBytes(StandardCharsets.UTF_8));

    private final AnswerQualitySet set;
    private final LuceneChunkIndex index;
    private final HybridRetriever retriever;
    private final Map<String, UUID> knowledgeBases = new HashMap<>();
    private int chunks;
    private List<IndexedChunk> indexedChunks = List.of();

    AnswerQualityBench(AnswerQualitySet set, Embedder embedder, RelevanceSettings relevance, Path directory) throws IOException {
        this.set = set;
        this.index = new LuceneChunkIndex(directory);
        this.retriever = new HybridRetriever(index, embedder, FusionSettings.DEFAULT, relevance);
        ingest(embedder);
    }

    /** What one search gave: the hits a turn would hand to the model if the search is judged relevant. */
    record Searched(String question, String collection, Retrieval retrieval) {

        /** Whether the passage is within the hits (whatever the relevance decision). */
        boolean contains(String passage) {
            String wanted = AnswerQualitySet.folded(passage);
            return retrieval.hits().stream().anyMatch(hit -> AnswerQualitySet.folded(hit.text()).contains(wanted));
        }

        /** Rank (1-based) of the first hit holding the passage, or 0. */
        int rank(String passage) {
            String wanted = AnswerQualitySet.folded(passage);
            List<ChunkHit> hits = retrieval.hits();
            for (int i = 0; i < hits.size(); i++) {
                if (AnswerQualitySet.folded(hits.get(i).text()).contains(wanted)) {
                    return i + 1;
                }
            }
            return 0;
        }
    }

    Searched search(String collection, String question, int passages) {
        return new Searched(question, collection, retriever.retrieve(TENANT, Set.of(knowledgeBases.get(collection)), question, passages));
    }

    int chunks() {
        return chunks;
    }

    LuceneChunkIndex index() {
        return index;
    }

    UUID knowledgeBase(String collection) {
        return knowledgeBases.get(collection);
    }

    List<IndexedChunk> chunksOf(String collection) {
        return indexedChunks.stream().filter(chunk -> chunk.knowledgeBaseId().equals(knowledgeBases.get(collection))).toList();
    }

    private void ingest(Embedder embedder) throws IOException {
        DocumentParser parser = new DocumentParser(20_000_000);
        Chunker chunker = new Chunker(ChunkingPolicy.DEFAULT, new WordPieceTokenCounter());
        List<IndexedChunk> indexed = new ArrayList<>();
        for (AnswerQualitySet.Document document : set.documents()) {
            UUID knowledgeBase = knowledgeBases.computeIfAbsent(document.collection(),
                    name -> UUID.nameUUIDFromBytes(("kb:" + name).getBytes(StandardCharsets.UTF_8)));
            UUID documentId = UUID.nameUUIDFromBytes(("doc:" + document.path()).getBytes(StandardCharsets.UTF_8));
            String name = document.file().getFileName().toString();
            String type = DocumentTypes.detect(document.file(), name).orElseThrow(() -> new IllegalStateException("no type for " + name));
            List<Chunk> pieces;
            try {
                pieces = chunker.chunk(parser.parse(document.file(), type));
            }
            catch (UnreadableDocument ex) {
                throw new IllegalStateException(document.path() + ": " + ex.getMessage(), ex);
            }
            List<float[]> vectors = embedder.embedDocuments(pieces.stream().map(Chunk::text).toList());
            for (int i = 0; i < pieces.size(); i++) {
                Chunk chunk = pieces.get(i);
                indexed.add(new IndexedChunk(TENANT, knowledgeBase, documentId, name, UUID.nameUUIDFromBytes((document.path() + "#" + i)
                        .getBytes(StandardCharsets.UTF_8)), chunk.ordinal(), chunk.location(), chunk.text(), embedder.modelId(), vectors
                                .get(i)));
            }
        }
        index.upsert(indexed);
        chunks = indexed.size();
        indexedChunks = indexed;
    }

    @Override
    public void close() throws IOException {
        index.close();
    }
}
