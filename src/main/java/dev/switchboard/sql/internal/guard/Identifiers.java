package dev.switchboard.sql.internal.guard;

import java.util.Locale;
import java.util.regex.Pattern;

import dev.switchboard.sql.internal.DatabaseKind;

/**
 * Turns identifiers as written into the form the allow-list is compared in: unquoted, lower case (both engines
 * fold unquoted names; the allow-list is case-insensitive, see {@code TableAccess}). In PostgreSQL a quoted
 * identifier keeps its case, so {@code "Orders"} names a different table from {@code orders}: a quoted name
 * with upper-case letters is refused rather than matched to a lower-case entry it does not name.
 */
final class Identifiers {

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*");

    private Identifiers() {
    }

    static String normalize(String written, DatabaseKind kind) {
        String name = written;
        boolean quoted = false;
        if (name.length() >= 2 && (quoted(name, '"') || quoted(name, '`'))) {
            name = name.substring(1, name.length() - 1);
            quoted = true;
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (quoted && !kind.mysqlFamily() && !lower.equals(name)) {
            throw new GuardRefusal(RefusalKind.TABLE_NOT_ALLOWED, "the quoted name " + written + " differs in case "
                    + "from the allowed names; write names unquoted in lower case");
        }
        if (quoted ? name.isEmpty() || name.contains("\"") || name.contains("`") || name.contains(".")
                : !PLAIN.matcher(name).matches()) {
            throw new GuardRefusal(RefusalKind.LEXICAL, "the name " + written + " is not a plain identifier");
        }
        return lower;
    }

    private static boolean quoted(String name, char quote) {
        return name.charAt(0) == quote && name.charAt(name.length() - 1) == quote;
    }

}
