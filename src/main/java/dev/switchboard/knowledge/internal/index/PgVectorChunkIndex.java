package dev.switchboard.knowledge.internal.index;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.switchboard.tenancy.TenantContext;

/**
 * The chunk index in the application's PostgreSQL, where the {@code vector} extension (pgvector) is installed:
 * one table ({@code knowledge_chunk_index}, created by {@link PgVectorSchema}) shared by every replica. Dense search
 * is pgvector's HNSW (one partial index per model and dimension, inner product on unit vectors, scored as cosine
 * like {@link LuceneChunkIndex}); lexical search is PostgreSQL full text (English configuration, any query term
 * matching, ranked by {@code ts_rank_cd}: positive, higher is better, but not BM25 — its values differ from Lucene's).
 * <p>
 * Every statement runs in a transaction of the chunk's tenant under row-level security, with the tenant and
 * knowledge bases also in its {@code where} clause. A filtered HNSW scan can stop short of k rows when the filter
 * removes most candidates; pgvector 0.8's iterative scan keeps scanning, and a search still short of k is run again
 * exactly (which only happens when the scope has fewer than k chunks, or the graph scan gave up).
 * Writes are durable and visible when a method returns (their transaction committed), unless the caller's own
 * transaction is running, which they join.
 */
public final class PgVectorChunkIndex implements ChunkIndex {

    /** pgvector's HNSW candidate list: at least this, at most what pgvector allows. */
    private static final int MIN_EF_SEARCH = 40;
    private static final int MAX_EF_SEARCH = 1000;

    private static final String UPSERT = """
            insert into knowledge_chunk_index (chunk_id, tenant_id, knowledge_base_id, document_id, document_name, ordinal,
                location, text, model, dimensions, embedding)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::vector)
            on conflict (chunk_id) do update set knowledge_base_id = excluded.knowledge_base_id, document_id = excluded.document_id,
                document_name = excluded.document_name, ordinal = excluded.ordinal, location = excluded.location, text = excluded.text,
                model = excluded.model, dimensions = excluded.dimensions, embedding = excluded.embedding""";

    private static final String HIT_COLUMNS = "chunk_id, document_id, document_name, knowledge_base_id, ordinal, location, text";

    /** Any of the query's terms (PostgreSQL's parser and English stemming, stop words dropped), like Lucene's disjunction. */
    private static final String LEXICAL = """
            with q as (select nullif(replace(plainto_tsquery('english', ?)::text, ' & ', ' | '), '')::tsquery as query)
            select %s, ts_rank_cd(terms, q.query) as score
            from knowledge_chunk_index, q
            where tenant_id = ? and knowledge_base_id = any(?::uuid[]) and terms @@ q.query
            order by score desc, chunk_id
            limit ?""".formatted(HIT_COLUMNS);

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final boolean iterativeScan;
    private final Set<String> modelsWithIndex = ConcurrentHashMap.newKeySet();

    /**
     * @param dataSource connections as the application's role (row-level security applies)
     * @param transactionManager the application's transactions
     */
    public PgVectorChunkIndex(DataSource dataSource, PlatformTransactionManager transactionManager) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.transactions = new TransactionTemplate(transactionManager);
        String version = transactions.execute(status -> jdbc.query("select extversion from pg_extension where extname = 'vector'",
                rows -> rows.next() ? rows.getString(1) : null));
        if (version == null) {
            throw new IllegalStateException("The pgvector index needs the PostgreSQL extension vector in this database");
        }
        if (!Boolean.TRUE.equals(transactions.execute(status -> jdbc.queryForObject(
                "select to_regclass('knowledge_chunk_index') is not null", Boolean.class)))) {
            throw new IllegalStateException("The pgvector index's table knowledge_chunk_index is missing: it is created after "
                    + "the migrations when the vector extension is installed (restart to create it)");
        }
        this.iterativeScan = atLeast(version, 0, 8);
    }

    @Override
    public void upsert(List<IndexedChunk> chunks) {
        if (chunks.isEmpty()) {
            return;
        }
        Map<UUID, List<IndexedChunk>> byTenant = chunks.stream()
                .collect(Collectors.groupingBy(IndexedChunk::tenantId, LinkedHashMap::new, Collectors.toList()));
        for (IndexedChunk chunk : chunks) {
            ensureVectorIndex(requireModel(chunk.model()), chunk.vector().length);
        }
        byTenant.forEach((tenant, tenantChunks) -> inTenant(tenant, () -> jdbc.batchUpdate(UPSERT, tenantChunks, tenantChunks.size(),
                (statement, chunk) -> {
                    statement.setObject(1, chunk.chunkId());
                    statement.setObject(2, chunk.tenantId());
                    statement.setObject(3, chunk.knowledgeBaseId());
                    statement.setObject(4, chunk.documentId());
                    statement.setString(5, nullToEmpty(chunk.documentName()));
                    statement.setInt(6, chunk.ordinal());
                    statement.setString(7, nullToEmpty(chunk.location()));
                    statement.setString(8, chunk.text());
                    statement.setString(9, chunk.model());
                    statement.setInt(10, chunk.vector().length);
                    statement.setString(11, literal(Vectors.unitLength(chunk.vector())));
                })));
    }

    @Override
    public void deleteDocument(UUID tenantId, UUID documentId) {
        inTenant(tenantId, () -> jdbc.update("delete from knowledge_chunk_index where tenant_id = ? and document_id = ?", tenantId,
                documentId));
    }

    /** Through a {@code SECURITY DEFINER} function: it crosses tenants, which the application's role cannot. */
    @Override
    public void deleteChunksNotEmbeddedBy(String model) {
        requireModel(model);
        transactions.execute(status -> jdbc.queryForObject("select switchboard_knowledge_delete_chunks_not_embedded_by(?)", Long.class,
                model));
    }

    @Override
    public boolean isEmpty() {
        return Boolean.TRUE.equals(transactions.execute(status -> jdbc.queryForObject("select switchboard_knowledge_index_is_empty()",
                Boolean.class)));
    }

    @Override
    public List<ChunkHit> lexical(UUID tenantId, Set<UUID> knowledgeBaseIds, String query, int limit) {
        if (knowledgeBaseIds.isEmpty() || limit <= 0 || query == null || query.isBlank()) {
            return List.of();
        }
        return inTenant(tenantId, () -> jdbc.query(LEXICAL, HITS, query, tenantId, uuidArray(knowledgeBaseIds), limit));
    }

    /** Hits scored by cosine similarity, as {@link LuceneChunkIndex#dense} scores them. */
    @Override
    public List<ChunkHit> dense(UUID tenantId, Set<UUID> knowledgeBaseIds, String model, float[] queryVector, int limit) {
        if (knowledgeBaseIds.isEmpty() || limit <= 0) {
            return List.of();
        }
        requireModel(model);
        int dimensions = queryVector.length;
        String vector = literal(Vectors.unitLength(queryVector));
        String kbs = uuidArray(knowledgeBaseIds);
        return inTenant(tenantId, () -> {
            if (iterativeScan) {
                jdbc.queryForObject("select set_config('hnsw.iterative_scan', 'strict_order', true)", String.class);
            }
            jdbc.queryForObject("select set_config('hnsw.ef_search', ?, true)", String.class,
                    Integer.toString(Math.clamp(limit, MIN_EF_SEARCH, MAX_EF_SEARCH)));
            List<ChunkHit> hits = jdbc.query(denseSql(model, dimensions, true), HITS, vector, tenantId, kbs, vector, limit);
            if (hits.size() < limit) {
                hits = jdbc.query(denseSql(model, dimensions, false), HITS, vector, tenantId, kbs, vector, limit);
            }
            return hits;
        });
    }

    @Override
    public int countDocumentChunks(UUID tenantId, UUID documentId) {
        Integer count = inTenant(tenantId, () -> jdbc.queryForObject(
                "select count(*) from knowledge_chunk_index where tenant_id = ? and document_id = ?", Integer.class, tenantId, documentId));
        return count == null ? 0 : count;
    }

    /**
     * The dense query. With {@code approximate}, its order matches the model's HNSW index (the column cast to the
     * dimension; the model as a literal, so that the partial index applies whatever plan is cached); without it, the
     * same distances computed for every chunk in scope (an index on the cast expression cannot serve it).
     */
    static String denseSql(String model, int dimensions, boolean approximate) {
        String column = approximate ? "embedding::vector(" + dimensions + ")" : "embedding";
        String distance = column + " <#> ?::vector(" + dimensions + ")";
        return "select " + HIT_COLUMNS + ", -(" + distance + ") as score from knowledge_chunk_index "
                + "where tenant_id = ? and knowledge_base_id = any(?::uuid[]) and model = " + sqlString(model) + " and dimensions = "
                + dimensions + " order by " + distance + " limit ?";
    }

    /** Creates the HNSW index of a model's vectors the first time this process writes them (the function is idempotent). */
    private void ensureVectorIndex(String model, int dimensions) {
        if (modelsWithIndex.contains(model + "/" + dimensions)) {
            return;
        }
        transactions.execute(status -> jdbc.query("select switchboard_knowledge_vector_index(?, ?)", rows -> null, model, dimensions));
        modelsWithIndex.add(model + "/" + dimensions);
    }

    /**
     * Runs {@code work} in a transaction of {@code tenant}: row-level security shows and accepts only its rows. Joins
     * the caller's transaction, which must then be the same tenant's.
     */
    private <T> T inTenant(UUID tenant, Supplier<T> work) {
        UUID current = TenantContext.current().orElse(null);
        if (TransactionSynchronizationManager.isActualTransactionActive() && current != null && !current.equals(tenant)) {
            throw new IllegalStateException("The index was asked for tenant " + tenant + " inside a transaction of tenant " + current);
        }
        return TenantContext.callAs(tenant, () -> transactions.execute(status -> {
            jdbc.queryForObject("select set_config('switchboard.tenant_id', ?, true)", String.class, tenant.toString());
            return work.get();
        }));
    }

    private static final RowMapper<ChunkHit> HITS = (ResultSet rows, int n) -> hit(rows);

    private static ChunkHit hit(ResultSet rows) throws SQLException {
        return new ChunkHit(rows.getObject("chunk_id", UUID.class), rows.getObject("document_id", UUID.class), rows.getString(
                "document_name"),
                rows.getObject("knowledge_base_id", UUID.class), rows.getInt("ordinal"), rows.getString("location"), rows.getString("text"),
                rows.getDouble("score"));
    }

    /** pgvector's text form: {@code [0.1,0.2,...]}. */
    static String literal(float[] vector) {
        StringBuilder text = new StringBuilder(vector.length * 12).append('[');
        for (int i = 0; i < vector.length; i++) {
            if (!Float.isFinite(vector[i])) {
                throw new IllegalArgumentException("A vector component is not a finite number: " + vector[i]);
            }
            text.append(i == 0 ? "" : ",").append(vector[i]);
        }
        return text.append(']').toString();
    }

    private static String uuidArray(Set<UUID> ids) {
        return ids.stream().map(UUID::toString).collect(Collectors.joining(",", "{", "}"));
    }

    /** A SQL string literal (standard-conforming strings, PostgreSQL's default: only quotes are doubled). */
    private static String sqlString(String value) {
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("A model id cannot contain a NUL character");
        }
        return "'" + value.replace("'", "''") + "'";
    }

    private static boolean atLeast(String version, int major, int minor) {
        String[] parts = version.split("\\.");
        int actualMajor = Integer.parseInt(parts[0]);
        int actualMinor = parts.length > 1 ? Integer.parseInt(parts[1].replaceAll("\\D.*", "")) : 0;
        return actualMajor > major || (actualMajor == major && actualMinor >= minor);
    }

    private static String requireModel(String model) {
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("An indexed vector needs the id of the model that made it");
        }
        return model;
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
