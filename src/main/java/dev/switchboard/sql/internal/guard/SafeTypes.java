package dev.switchboard.sql.internal.guard;

import java.util.Locale;
import java.util.Set;

/**
 * The types a guarded query may cast to. An allow-list: PostgreSQL's object-identifier types ({@code regclass},
 * {@code regproc}, {@code regnamespace}, …) turn a string into a catalogue lookup, and any type's input function
 * runs on the cast, so only the plain value types are listed.
 */
final class SafeTypes {

    private static final Set<String> TYPES = Set.of("int", "integer", "bigint", "smallint", "int2", "int4", "int8",
            "numeric", "decimal", "real", "float", "float4", "float8", "double", "double precision", "text",
            "varchar", "character varying", "char", "character", "date", "time", "timestamp", "timestamptz",
            "timestamp with time zone", "timestamp without time zone", "interval", "boolean", "bool", "signed",
            "unsigned", "signed integer", "unsigned integer", "datetime", "json", "jsonb", "uuid", "binary");

    private SafeTypes() {
    }

    /** Whether a cast to this type name (as JSqlParser gives it, without precision or array brackets) is safe. */
    static boolean allowed(String dataType) {
        String normalized = dataType.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").trim();
        int bracket = normalized.indexOf('(');
        if (bracket >= 0) {
            normalized = normalized.substring(0, bracket).trim();
        }
        return TYPES.contains(normalized);
    }

}
