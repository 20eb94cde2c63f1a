package dev.switchboard.knowledge.internal.index;

import java.io.IOException;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
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

    @AfterEach
    void close() throws IOException {
        ((LuceneChunkIndex) index).close();
    }
}
