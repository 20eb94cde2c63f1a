package dev.switchboard.sql.internal.connection;

import javax.sql.DataSource;

/**
 * A registered database the caller may ask questions on, with the pool to borrow connections from.
 *
 * @param settings its settings: kind, allowed tables, row cap, statement timeout
 * @param dataSource its pool on this replica; prefer {@link SqlConnections#borrow}, which turns a dead database into
 *        a quick 503 problem
 */
public record UsableDatabase(RegisteredDatabase settings, DataSource dataSource) {
}
