package dev.switchboard.shared;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.regex.Pattern;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A {@link RetentionTask} that is one database function {@code name(p_cutoff timestamptz, p_batch integer) returns
 * integer}: a SECURITY DEFINER function of the module's migrations that deletes one batch across tenants (the
 * application role sees one tenant's rows only) and returns how many rows went.
 */
public final class PurgeFunction implements RetentionTask {

    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]*");

    private final String setting;
    private final String description;
    private final String sql;
    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;

    public PurgeFunction(String setting, String description, String function, JdbcClient jdbc,
            PlatformTransactionManager transactions) {
        if (!NAME.matcher(function).matches()) {
            throw new IllegalArgumentException("Not a function name: " + function);
        }
        this.setting = setting;
        this.description = description;
        this.sql = "select " + function + "(:cutoff, :batch)";
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactions);
    }

    @Override
    public String setting() {
        return setting;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public int purge(Instant cutoff, int batch) {
        Integer purged = transactions.execute(status -> jdbc.sql(sql)
                .param("cutoff", Timestamp.from(cutoff)).param("batch", batch).query(Integer.class).single());
        return purged == null ? 0 : purged;
    }
}
