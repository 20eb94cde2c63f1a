/**
 * The relational store. With no {@code spring.datasource.url}, Switchboard runs PostgreSQL itself from
 * Maven-shipped binaries, with its cluster under {@code <switchboard.data-dir>/postgres}: started before the
 * connection pool, stopped after it, recovered after an unclean stop. With a URL, it uses that server. In
 * both shapes Flyway builds the same schema from {@code db/migration}.
 *
 * <p>This module has no API: other modules use the {@link javax.sql.DataSource} it provides.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Database", allowedDependencies = "shared")
package dev.switchboard.database;
