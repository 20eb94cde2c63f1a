package dev.switchboard.sql.internal.web;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import dev.switchboard.identity.Role;
import dev.switchboard.sql.internal.DatabaseKind;
import dev.switchboard.sql.internal.TableAccess;
import dev.switchboard.sql.internal.connection.SharedWith;
import dev.switchboard.sql.internal.connection.TlsMode;

/**
 * What an administrator sends to register or change a database. On change, a null {@code password} keeps the stored
 * one and an empty one removes it.
 */
record ConnectionRequest(
        @NotBlank @Pattern(regexp = NAME, message = "must be 1 to 64 lowercase letters, digits, '_' or '-', starting with a "
                + "letter or digit") String name,
        @Size(max = 2000) String description,
        @NotNull DatabaseKind kind,
        @NotBlank @Size(max = 253) @Pattern(regexp = HOST, message = "must be a host name or an IP address, without a port "
                + "or scheme") String host,
        @NotNull @Min(1) @Max(65535) Integer port,
        @NotBlank @Size(max = 128) @Pattern(regexp = "[^\\x00-\\x1f/?#&;=]+", message = "must be a database name, without "
                + "'/', '?', '#', '&', ';', '=' or control characters") String database,
        @NotBlank @Size(max = 128) String username,
        @Size(max = 1024) String password,
        TlsMode tlsMode,
        @NotEmpty @Valid List<AllowedTable> allowedTables,
        @Min(1) Integer maxRows,
        Duration statementTimeout,
        @Valid Share sharedWith) {

    static final String NAME = "[a-z0-9][a-z0-9_-]{0,63}";
    static final String HOST = "[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?|[0-9A-Fa-f:.]{2,45}";
    static final String IDENTIFIER = "[A-Za-z_][A-Za-z0-9_$]{0,63}";

    /** Never the password. */
    @Override
    public String toString() {
        return "ConnectionRequest[name=" + name + ", kind=" + kind + ", host=" + host + ", port=" + port + ", password="
                + (password == null ? "unchanged" : password.isEmpty() ? "removed" : "set") + "]";
    }

    /**
     * A table questions may read: {@code table} or {@code schema.table}, unquoted (matched without regard to case);
     * {@code columns} the readable ones (all when empty); {@code maskedColumns} readable ones shown masked.
     */
    record AllowedTable(
            @NotBlank @Pattern(regexp = IDENTIFIER + "(?:\\." + IDENTIFIER + ")?", message = "must be a table name or "
                    + "schema.table, letters, digits, '_' and '$' (unquoted)") String table,
            @Size(max = 1000) List<@NotBlank @Pattern(regexp = IDENTIFIER, message = "must be a column name") String> columns,
            @Size(max = 1000) List<@NotBlank @Pattern(regexp = IDENTIFIER, message = "must be a column name") String> maskedColumns) {

        TableAccess access() {
            return new TableAccess(table, columns, maskedColumns);
        }
    }

    /** Who besides administrators may use the database: roles and users of the tenant. */
    record Share(@Size(max = 2) List<@NotNull Role> roles, @Size(max = 1000) List<@NotNull UUID> userIds) {

        SharedWith sharedWith() {
            return new SharedWith(roles == null ? List.of() : roles.stream().distinct().toList(),
                    userIds == null ? List.of() : userIds.stream().distinct().toList());
        }
    }
}
