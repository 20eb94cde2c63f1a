package dev.switchboard.tenancy.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;

import javax.sql.DataSource;

import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.TransactionDefinition;

import dev.switchboard.tenancy.TenantContext;

/**
 * Starts every transaction with {@code switchboard.tenant_id} set (transaction-locally) to the current
 * tenant, or to nothing, so that row-level security sees exactly one tenant or none.
 */
class TenantTransactionManager extends JdbcTransactionManager {

    TenantTransactionManager(DataSource dataSource) {
        super(dataSource);
    }

    @Override
    protected void prepareTransactionalConnection(Connection connection, TransactionDefinition definition)
            throws SQLException {
        super.prepareTransactionalConnection(connection, definition);
        String tenant = TenantContext.current().map(UUID::toString).orElse("");
        try (PreparedStatement statement = connection.prepareStatement(
                "select set_config('switchboard.tenant_id', ?, true)")) {
            statement.setString(1, tenant);
            statement.execute();
        }
    }
}
