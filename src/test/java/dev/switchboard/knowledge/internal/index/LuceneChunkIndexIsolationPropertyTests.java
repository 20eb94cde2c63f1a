package dev.switchboard.knowledge.internal.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.apache.lucene.util.IOUtils;

import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Tenant and knowledge-base isolation of the Lucene index, with every search's scope taken from the filter cache (on
 * segments of any size; served indexes cache it on large segments only).
 */
class LuceneChunkIndexIsolationPropertyTests extends ChunkIndexIsolationPropertyTests {

    static Path directory;
    static LuceneChunkIndex index;

    @BeforeContainer
    static void open() throws IOException {
        directory = Files.createTempDirectory("chunk-index");
        index = new LuceneChunkIndex(directory, LuceneIndexSettings.DEFAULT, Duration.ZERO, 0, LuceneChunkIndex.FLOOR_SEGMENT_MB);
    }

    @AfterContainer
    static void close() throws IOException {
        try {
            assertThat(index.filters().getHitCount()).as("searches whose scope came from the cache").isPositive();
        }
        finally {
            index.close();
        }
        IOUtils.rm(directory);
    }

    @Override
    ChunkIndex index() {
        return index;
    }
}
