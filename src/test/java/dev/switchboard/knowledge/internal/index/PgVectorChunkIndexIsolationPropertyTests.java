package dev.switchboard.knowledge.internal.index;

import org.springframework.jdbc.support.JdbcTransactionManager;

import dev.switchboard.support.PGliteServer;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;

/**
 * Tenant and knowledge-base isolation of the pgvector index, on PGlite; skipped with the reason where PGlite cannot
 * run, except under {@code CI=true} (as {@link PgVectorChunkIndexTests}).
 */
@AddLifecycleHook(PgVectorChunkIndexIsolationPropertyTests.SkipWithoutPGlite.class)
class PgVectorChunkIndexIsolationPropertyTests extends ChunkIndexIsolationPropertyTests {

    private static PgVectorChunkIndex index;

    @Override
    synchronized ChunkIndex index() {
        if (index == null) {
            PGliteServer database = PgVectorChunkIndexTests.database();
            index = new PgVectorChunkIndex(database.applicationDataSource(), new JdbcTransactionManager(database.applicationDataSource()));
        }
        return index;
    }

    /** jqwik reports an aborted container as an error, so the skip is decided before it runs. */
    static final class SkipWithoutPGlite implements SkipExecutionHook {

        @Override
        public SkipResult shouldBeSkipped(LifecycleContext context) {
            return PGliteServer.whyUnavailable().map(reason -> SkipResult.skip("Skipped: " + reason)).orElse(SkipResult.doNotSkip());
        }
    }
}
