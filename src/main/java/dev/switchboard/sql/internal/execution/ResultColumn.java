package dev.switchboard.sql.internal.execution;

/**
 * A column of a query result.
 *
 * @param name the column's label as the database reports it
 * @param type the database's type name ({@code int4}, {@code VARCHAR}, …)
 */
public record ResultColumn(String name, String type) {
}
