package dev.switchboard.knowledge.internal.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

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

    @AfterEach
    void close() throws IOException {
        ((LuceneChunkIndex) index).close();
    }
}
