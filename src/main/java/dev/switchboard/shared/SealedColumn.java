package dev.switchboard.shared;

import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A {@link SealedSecrets} that is one {@code bytea} column of a tenant-owned table with {@code tenant_id} and a
 * single-column row id, each value sealed for a context made from tenant and id. Every update is a compare-and-set on
 * the old ciphertext, and rows are read {@code for update skip locked}: replicas running the job at once share the
 * rows and never overwrite a value an administrator changed meanwhile.
 */
public final class SealedColumn implements SealedSecrets {

    private static final Logger log = LoggerFactory.getLogger(SealedColumn.class);
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]*");

    /** The context a value was sealed for, as the owning repository builds it. */
    @FunctionalInterface
    public interface Context {

        String of(UUID tenant, Object id);
    }

    private record Row(UUID tenant, Object id, byte[] sealed) {
    }

    private final String description;
    private final String table;
    private final String idColumn;
    private final String column;
    private final Context context;
    private final JdbcClient jdbc;
    private final SecretBox box;

    public SealedColumn(String description, String table, String idColumn, String column, Context context, JdbcClient jdbc,
            SecretBox box) {
        for (String name : List.of(table, idColumn, column)) {
            if (!IDENTIFIER.matcher(name).matches()) {
                throw new IllegalArgumentException("Not an SQL identifier: " + name);
            }
        }
        this.description = description;
        this.table = table;
        this.idColumn = idColumn;
        this.column = column;
        this.context = context;
        this.jdbc = jdbc;
        this.box = box;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public Batch reseal(Object after, int batch) {
        JdbcClient.StatementSpec select = jdbc.sql("select tenant_id, " + idColumn + " as id, " + column + " as sealed from "
                + table + " where " + staleCondition() + (after == null ? "" : " and " + idColumn + " > :after")
                + " order by " + idColumn + " limit :batch for update skip locked")
                .param("prefix", box.currentPrefix()).param("batch", batch);
        if (after != null) {
            select = select.param("after", after);
        }
        List<Row> rows = select.query((rs, n) -> new Row(rs.getObject("tenant_id", UUID.class), rs.getObject("id"), rs.getBytes("sealed")))
                .list();
        int resealed = 0;
        int failed = 0;
        for (Row row : rows) {
            if (reseal(row)) {
                resealed++;
            }
            else {
                failed++;
            }
        }
        return new Batch(resealed, failed, rows.size() < batch ? null : rows.getLast().id());
    }

    private boolean reseal(Row row) {
        byte[] resealed;
        try {
            resealed = box.reseal(row.sealed(), context.of(row.tenant(), row.id()));
        }
        catch (IllegalStateException ex) {
            log.error("Cannot re-seal {} of tenant {}, row {} ({}.{}): {}", description, row.tenant(), row.id(), table,
                    column, ex.getMessage());
            return false;
        }
        // Compare-and-set: a value changed since it was read stays as its writer left it (sealed with the current key).
        jdbc.sql("update " + table + " set " + column + " = :resealed where tenant_id = :tenant and " + idColumn
                + " = :id and " + column + " = :sealed")
                .param("resealed", resealed).param("tenant", row.tenant()).param("id", row.id())
                .param("sealed", row.sealed()).update();
        return true;
    }

    @Override
    public long stale() {
        Long count = jdbc.sql("select count(*) from " + table + " where " + staleCondition()).param("prefix", box.currentPrefix())
                .query(Long.class).single();
        return count == null ? 0 : count;
    }

    private String staleCondition() {
        return column + " is not null and length(" + column + ") > 0 and substring(" + column + " from 1 for "
                + box.currentPrefix().length + ") <> :prefix";
    }
}
