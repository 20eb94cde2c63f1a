package dev.switchboard.sql;

import java.util.UUID;

/**
 * A registered database as those who ask questions see it.
 *
 * @param id its id
 * @param name its name, unique in the tenant
 * @param description what it holds
 * @param kind {@code postgresql}, {@code mysql} or {@code mariadb}
 */
public record AskableDatabase(UUID id, String name, String description, String kind) {
}
