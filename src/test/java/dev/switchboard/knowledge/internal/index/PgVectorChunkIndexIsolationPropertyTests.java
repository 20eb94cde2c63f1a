package dev.switchboard.knowledge.internal.index;

import org.springframework.jdbc.support.JdbcTransactionManager;

import net.jqwik.api.lifecycle.BeforeContainer;

/** Tenant and knowledge-base isolation of the pgvector index (on PGlite; skipped as {@link PgVectorChunkIndexTests} is). */
class PgVectorChunkIndexIsolationPropertyTests extends ChunkIndexIsolationPropertyTests {

    static PgVectorChunkIndex index;

    @BeforeContainer
    static void open() {
        var database = PgVectorChunkIndexTests.database();
        index = new PgVectorChunkIndex(database.applicationDataSource(), new JdbcTransactionManager(database.applicationDataSource()));
    }

    @Override
    ChunkIndex index() {
        return index;
    }
}
