/**
 * The read-only executor: runs a guarded query in depth — read-only transaction, server-side statement timeout,
 * the server's own check that the statement is a query, row cap while reading, bounded cells, masked columns,
 * always rolled back and the session reset. See docs/sql.md.
 */
package dev.switchboard.sql.internal.execution;
