package dev.switchboard.sql.internal.connection;

import java.util.Arrays;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Whether and how a registered database's connection is encrypted. Each driver is told the same thing in its own
 * words ({@link JdbcEndpoint}): PostgreSQL's {@code sslmode}, MariaDB Connector/J's {@code sslMode}.
 */
public enum TlsMode {

    /** Plain TCP: only for a database on a network the operator trusts. */
    DISABLE("disable"),
    /** Encrypted, without checking the server's certificate: protects against listening, not against impersonation. */
    REQUIRE("require"),
    /** Encrypted, the certificate checked against the JVM's trust store and its name against the host. */
    VERIFY_FULL("verify-full");

    private final String wireName;

    TlsMode(String wireName) {
        this.wireName = wireName;
    }

    /** The lower-case name used in requests, responses and the table. */
    @JsonValue
    public String wireName() {
        return wireName;
    }

    public static Optional<TlsMode> of(String wireName) {
        return Arrays.stream(values()).filter(mode -> mode.wireName.equals(wireName)).findFirst();
    }
}
