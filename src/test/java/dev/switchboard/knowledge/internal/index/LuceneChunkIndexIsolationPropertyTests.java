package dev.switchboard.knowledge.internal.index;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.lucene.util.IOUtils;

import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/** Tenant and knowledge-base isolation of the Lucene index. */
class LuceneChunkIndexIsolationPropertyTests extends ChunkIndexIsolationPropertyTests {

    static Path directory;
    static LuceneChunkIndex index;

    @BeforeContainer
    static void open() throws IOException {
        directory = Files.createTempDirectory("chunk-index");
        index = new LuceneChunkIndex(directory);
    }

    @AfterContainer
    static void close() throws IOException {
        index.close();
        IOUtils.rm(directory);
    }

    @Override
    ChunkIndex index() {
        return index;
    }
}
