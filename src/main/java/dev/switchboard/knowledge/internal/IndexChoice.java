package dev.switchboard.knowledge.internal;

import org.springframework.jdbc.core.JdbcTemplate;

import dev.switchboard.knowledge.internal.KnowledgeProperties.IndexKind;

/**
 * Which index serves knowledge, decided once at start-up from {@code switchboard.knowledge.index} and the database:
 * {@code lucene} is Lucene; {@code pgvector} is pgvector or a start-up failure saying why it cannot be; {@code auto}
 * is pgvector when the {@code vector} extension is installed in the database (the migrations install it when the
 * server offers it and the migration user may), else Lucene.
 *
 * @param pgvector whether the pgvector index is used
 * @param reason why, for the start-up log
 */
record IndexChoice(boolean pgvector, String reason) {

    static IndexChoice of(IndexKind setting, JdbcTemplate jdbc) {
        if (setting == IndexKind.LUCENE) {
            return new IndexChoice(false, "switchboard.knowledge.index=lucene");
        }
        String version = jdbc.query("select extversion from pg_extension where extname = 'vector'", rows -> rows.next() ? rows.getString(1)
                : null);
        boolean table = Boolean.TRUE.equals(jdbc.queryForObject("select to_regclass('knowledge_chunk_index') is not null", Boolean.class));
        if (version != null && table) {
            return new IndexChoice(true, "vector extension " + version + ", switchboard.knowledge.index=" + setting.name().toLowerCase(
                    java.util.Locale.ROOT));
        }
        if (setting == IndexKind.PGVECTOR) {
            throw new IllegalStateException("switchboard.knowledge.index=pgvector needs the PostgreSQL extension vector (pgvector) in "
                    + "the database, and " + missing(jdbc, version) + " Or set switchboard.knowledge.index to lucene (or auto) to index "
                    + "with Lucene under the data directory.");
        }
        return new IndexChoice(false, "switchboard.knowledge.index=auto and the database has no vector extension");
    }

    private static String missing(JdbcTemplate jdbc, String version) {
        if (version != null) {
            return "it is installed, but the index's table knowledge_chunk_index is missing: it is created after the migrations; "
                    + "restart to create it.";
        }
        boolean offered = Boolean.TRUE.equals(jdbc.queryForObject(
                "select exists (select 1 from pg_available_extensions where name = 'vector')", Boolean.class));
        return offered ? "the server offers it but it is not installed in this database, and the migration user could not install it: "
                + "have a superuser run 'create extension vector' in this database."
                : "this PostgreSQL server does not have it: install pgvector on the server (https://github.com/pgvector/pgvector), "
                        + "then restart.";
    }
}
