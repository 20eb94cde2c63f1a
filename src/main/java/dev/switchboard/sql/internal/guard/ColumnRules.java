package dev.switchboard.sql.internal.guard;

import java.util.List;
import java.util.Locale;
import java.util.Set;

import dev.switchboard.sql.internal.TableAccess;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.select.AllColumns;
import net.sf.jsqlparser.statement.select.AllTableColumns;

/**
 * Resolves column references against the visible FROM items and applies the allow-list. A qualified reference
 * ({@code c.email}) is checked against the one table it names. An unqualified one must be readable in every
 * base table it could resolve to — this level's and the enclosing levels' — because the guard does not know the
 * tables' real columns and so cannot tell which one the engine will pick. A {@code *} is accepted only over
 * tables whose columns are all readable and none masked: the guard does not know which columns {@code *} would
 * bring, so it refuses rather than expand it. Masked columns may only be selected as they are, in the outermost
 * select list; filtering, joining, sorting or computing on them would reveal the values the mask hides.
 */
final class ColumnRules {

    /** Where a column reference stands, which decides what it may do. */
    enum Use {
        /** A bare column as an item of the outermost select list: may be a masked column. */
        SELECTED,
        /** A bare ORDER BY item: may name an output column of the select list. */
        ORDER_BY_ITEM,
        /** Anywhere else. */
        COMPUTED
    }

    /**
     * Keywords both engines evaluate as functions without parentheses; the parser sees a column. They reveal who
     * and where the session is, which no question needs.
     */
    private static final Set<String> SESSION_KEYWORDS = Set.of("user", "current_user", "session_user", "system_user",
            "current_role", "current_catalog", "current_schema");

    private final CheckContext context;

    ColumnRules(CheckContext context) {
        this.context = context;
    }

    /** Checks a column reference; answers whether it reads a masked column. */
    boolean column(Column column, Scope scope, Use use) {
        this.context.checked(column);
        String name = Identifiers.normalize(column.getColumnName(), this.context.kind());
        Table table = column.getTable();
        if (SESSION_KEYWORDS.contains(name) && (table == null || table.getName() == null)) {
            throw new GuardRefusal(RefusalKind.FUNCTION_NOT_ALLOWED, name + " is not allowed: it reveals the session's "
                    + "user or schema; ask about the data instead");
        }
        if (table != null && table.getName() != null) {
            Scope.Source source = scope.find(qualifier(table)).orElseThrow(() -> refuse("the table or alias "
                    + table.getFullyQualifiedName() + " in " + column.getFullyQualifiedName()
                    + " is not in the FROM clause; qualify columns with a table or alias of the query"));
            return source.base() && readable(source, name, use);
        }
        return unqualified(name, scope, use);
    }

    /**
     * Checks an unqualified name the engine will resolve as a column. Also used for words the parser takes for
     * date units ({@code month}, {@code year}) where the engine sees a column or an output name.
     */
    boolean unqualified(String name, Scope scope, Use use) {
        if (use == Use.ORDER_BY_ITEM && scope.isOutputName(name)) {
            return false;
        }
        List<Scope.Source> visible = scope.visibleSources();
        if (visible.isEmpty()) {
            throw refuse("the column " + name + " has no table: name the table in FROM");
        }
        boolean masked = false;
        for (Scope.Source source : visible) {
            if (source.base()) {
                masked |= readable(source, name, use);
            }
        }
        return masked;
    }

    /** Checks {@code *} or {@code t.*}. */
    void star(AllColumns star, Scope scope) {
        this.context.checked(star);
        if (star.getExceptColumns() != null || star.getReplaceExpressions() != null) {
            throw new GuardRefusal(RefusalKind.UNSUPPORTED_CONSTRUCT, "* EXCEPT/REPLACE is not supported; list the "
                    + "columns");
        }
        List<Scope.Source> sources = star instanceof AllTableColumns tableStar
                ? List.of(scope.find(qualifier(tableStar.getTable())).orElseThrow(() -> refuse("the table or alias "
                        + tableStar.getTable().getFullyQualifiedName() + " of " + tableStar + " is not in FROM")))
                : scope.ownSources();
        for (Scope.Source source : sources) {
            TableAccess access = source.table();
            if (access != null && (!access.allColumns() || !access.maskedColumns().isEmpty())) {
                throw refuse("* is not accepted over " + access.table() + " because only some of its columns may "
                        + "be read as they are; list the columns instead: " + listed(access));
            }
        }
    }

    String qualifier(Table table) {
        if (table.getDatabaseName() != null) {
            throw refuse("three-part names (" + table.getFullyQualifiedName() + ") are not accepted; write "
                    + "schema.table or table");
        }
        String name = Identifiers.normalize(table.getName(), this.context.kind());
        return table.getSchemaName() == null ? name
                : Identifiers.normalize(table.getSchemaName(), this.context.kind()) + "." + name;
    }

    private boolean readable(Scope.Source source, String column, Use use) {
        TableAccess access = source.table();
        if (!access.allColumns() && !contains(access.columns(), column)) {
            throw refuse("the column " + column + " of " + access.table() + " is not readable; readable columns: "
                    + listed(access)
                    + ". When joining tables, qualify each column with its table or alias");
        }
        boolean masked = contains(access.maskedColumns(), column);
        if (masked && use != Use.SELECTED) {
            throw refuse("the column " + column + " of " + access.table() + " is masked: it may be selected as it is "
                    + "in the outer select list, but not filtered, joined, grouped, sorted or computed on");
        }
        return masked;
    }

    private static boolean contains(List<String> names, String name) {
        return names.stream().anyMatch(candidate -> candidate.toLowerCase(Locale.ROOT).equals(name));
    }

    private static String listed(TableAccess access) {
        return access.allColumns() ? "all but the masked ones (" + String.join(", ", access.maskedColumns()) + ")"
                : String.join(", ", access.columns());
    }

    private static GuardRefusal refuse(String reason) {
        return new GuardRefusal(RefusalKind.COLUMN_NOT_ALLOWED, reason);
    }

}
