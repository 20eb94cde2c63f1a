package dev.switchboard.sql.internal.catalog;

import java.util.Optional;
import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import dev.switchboard.sql.internal.connection.UsableDatabase;

/**
 * The stored catalogue of a registered database and the schema text a prompt gets for a question: what the ask stage
 * calls after {@link dev.switchboard.sql.internal.connection.SqlConnections#dataSource} has checked that the caller
 * may use the database.
 */
@Service
public class ConnectionCatalogs {

    private final SchemaCatalogs catalogs;
    private final SchemaSelector selector;
    private final TransactionTemplate transactions;

    ConnectionCatalogs(SchemaCatalogs catalogs, SchemaSelector selector, TransactionTemplate transactions) {
        this.catalogs = catalogs;
        this.selector = selector;
        this.transactions = transactions;
    }

    /** The catalogue as last read (on save or refresh), if the database has one in the current tenant. */
    public Optional<SchemaCatalog> catalog(UUID connection) {
        return transactions.execute(status -> catalogs.find(connection));
    }

    /**
     * The schema a model is shown for the question: the whole catalogue when it fits {@code tokenBudget}, otherwise the
     * tables chosen for the question (at most {@code maxTables} and their foreign-key neighbours), as compact DDL.
     */
    public SchemaRenderer.Rendered schemaFor(UsableDatabase database, String question, long tokenBudget, int maxTables) {
        SchemaCatalog catalog = catalog(database.settings().id()).orElseThrow(() -> new IllegalStateException(
                "A registered database without a catalogue: it is read before the database is saved"));
        return selector.schemaFor(catalog, question, tokenBudget, maxTables);
    }
}
