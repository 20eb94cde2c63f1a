package dev.switchboard.sql.internal.connection;

import org.springframework.http.HttpStatus;

import dev.switchboard.shared.SwitchboardException;

/**
 * A registered database could not be reached when it was needed: a 503 problem of type {@code database-unavailable}
 * whose detail names the database and why, never the driver's text. Retrying later may succeed: the pool reconnects
 * as soon as the database is back.
 */
public class DatabaseUnavailableException extends SwitchboardException {

    public static final String SLUG = "database-unavailable";

    public DatabaseUnavailableException(RegisteredDatabase database, String reason) {
        super(HttpStatus.SERVICE_UNAVAILABLE, SLUG, "The database '" + database.name() + "' is not available: " + reason
                + " Try again once it is back.");
    }
}
