package dev.switchboard.knowledge.internal.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.switchboard.support.PGliteServer;

/**
 * The index contract on pgvector + PostgreSQL full text, against PGlite (PostgreSQL with pgvector in WebAssembly,
 * see {@link PGliteServer}) with the application's migrations and {@link PgVectorSchema} applied as the application
 * applies them; the index works as the application's role, under row-level security. Skipped where PGlite cannot run
 * (no node, {@code npm ci} not run in {@code src/test/pglite}), except under {@code CI=true}.
 */
class PgVectorChunkIndexTests extends ChunkIndexContractTests {

    static PGliteServer database() {
        return PGliteServer.shared(new PgVectorSchema(true));
    }

    @Override
    ChunkIndex open() {
        PGliteServer database = database();
        return new PgVectorChunkIndex(database.applicationDataSource(), new JdbcTransactionManager(database.applicationDataSource()));
    }

    @Override
    ChunkIndex reopen() {
        return open();
    }

    @Test
    void eachModelGetsItsOwnHnswIndexWhenFirstWritten() {
        index.upsert(List.of(new IndexedChunk(tenant, kb, UUID.randomUUID(), "d", UUID.randomUUID(), 0, "", "text", "model-with-index",
                new float[] {1, 2, 3})));

        JdbcTemplate jdbc = new JdbcTemplate(database().applicationDataSource());
        List<String> definitions = jdbc.queryForList("select indexdef from pg_indexes where tablename = 'knowledge_chunk_index' "
                + "and indexdef like '%hnsw%model-with-index%'", String.class);
        assertThat(definitions).singleElement().asString().contains("vector(3)").contains("vector_ip_ops");
    }

    @Test
    void rowLevelSecurityHidesOtherTenantsRowsEvenWithoutTheIndexFilters() {
        index.upsert(List.of(chunk(tenant, kb, UUID.randomUUID(), 0, "mine", unit(1, 0, 0, 0)),
                chunk(otherTenant, kb, UUID.randomUUID(), 0, "theirs", unit(1, 0, 0, 0))));
        JdbcTemplate jdbc = new JdbcTemplate(database().applicationDataSource());
        TransactionTemplate transactions = new TransactionTemplate(new JdbcTransactionManager(database().applicationDataSource()));

        List<String> seen = transactions.execute(status -> {
            jdbc.queryForObject("select set_config('switchboard.tenant_id', ?, true)", String.class, tenant.toString());
            return jdbc.queryForList("select text from knowledge_chunk_index where knowledge_base_id = ?", String.class, kb);
        });
        assertThat(seen).containsExactly("mine");
        assertThatThrownBy(() -> transactions.executeWithoutResult(status -> {
            jdbc.queryForObject("select set_config('switchboard.tenant_id', ?, true)", String.class, tenant.toString());
            jdbc.update("insert into knowledge_chunk_index (chunk_id, tenant_id, knowledge_base_id, document_id, ordinal, text, model, "
                    + "dimensions, embedding) values (?, ?, ?, ?, 0, 'x', 'm', 1, '[1]')", UUID.randomUUID(), otherTenant, kb, UUID
                            .randomUUID());
        })).rootCause().hasMessageContaining("row-level security");
        assertThat(index.lexical(tenant, Set.of(kb), "theirs", 10)).isEmpty();
    }

    @Test
    void aFilteredHnswSearchFillsItsLimitWithinTheScope() {
        List<IndexedChunk> chunks = new ArrayList<>();
        UUID document = UUID.randomUUID();
        for (int i = 0; i < 300; i++) {
            // another tenant's chunks are all nearer the query than any of ours: the graph's first candidates
            chunks.add(new IndexedChunk(otherTenant, kb, document, "d", UUID.randomUUID(), i, "", "theirs", "hnsw-model", unit(1, 0.001f
                    * i, 0)));
        }
        for (int i = 0; i < 8; i++) {
            chunks.add(new IndexedChunk(tenant, kb, document, "d", UUID.randomUUID(), i, "", "ours " + i, "hnsw-model", unit(0.5f, 1, 0.1f
                    * i)));
        }
        index.upsert(chunks);
        JdbcTemplate jdbc = new JdbcTemplate(database().applicationDataSource());
        // PGlite is one session: these planner settings apply to the index's own queries, which must then use HNSW.
        jdbc.execute("set enable_seqscan = off; set enable_bitmapscan = off");
        try {
            List<String> plan = jdbc.queryForList("explain " + PgVectorChunkIndex.denseSql("hnsw-model", 3, true), String.class,
                    "[1,0,0]", tenant, "{" + kb + "}", "[1,0,0]", 5);
            assertThat(String.join("\n", plan)).contains("knowledge_chunk_index_hnsw_");

            List<ChunkHit> hits = index.dense(tenant, Set.of(kb), "hnsw-model", unit(1, 0, 0), 5);

            assertThat(hits).hasSize(5).allSatisfy(hit -> assertThat(hit.text()).startsWith("ours"));
            assertThat(hits).extracting(ChunkHit::ordinal).containsExactly(0, 1, 2, 3, 4);
        }
        finally {
            jdbc.execute("reset enable_seqscan; reset enable_bitmapscan");
        }
    }
}
