package dev.switchboard.sql.internal.guard;

import java.util.List;

import dev.switchboard.sql.internal.TableAccess;
import net.sf.jsqlparser.expression.Alias;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.WindowDefinition;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.select.AllColumns;
import net.sf.jsqlparser.statement.select.FromItem;
import net.sf.jsqlparser.statement.select.GroupByElement;
import net.sf.jsqlparser.statement.select.Join;
import net.sf.jsqlparser.statement.select.LateralSubSelect;
import net.sf.jsqlparser.statement.select.OrderByElement;
import net.sf.jsqlparser.statement.select.ParenthesedFromItem;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.SelectItem;
import net.sf.jsqlparser.statement.select.SetOperationList;
import net.sf.jsqlparser.statement.select.Values;
import net.sf.jsqlparser.statement.select.WithItem;

/**
 * Checks the structure of a query — WITH, set operations, FROM items, joins, select lists, clauses — level by
 * level with a {@link Scope} each, handing expressions to {@link ExpressionChecker}. Clauses that write or lock
 * are refused by name; every other clause the parser knows but this walk does not is refused as unsupported.
 */
final class QueryChecker {

    private final CheckContext context;

    private final ColumnRules columns;

    private final ExpressionChecker expressions;

    QueryChecker(CheckContext context) {
        this.context = context;
        this.columns = new ColumnRules(context);
        this.expressions = new ExpressionChecker(context, this.columns, this);
    }

    /** Checks the statement's outermost query. */
    void statement(Select select) {
        query(select, null, true);
    }

    /** Checks a subquery in an expression (scalar, IN, EXISTS, ANY): it sees the enclosing levels' names. */
    void subquery(Select select, Scope enclosing) {
        query(select, enclosing, false);
    }

    private void query(Select select, Scope enclosing, boolean outermost) {
        Clauses.refuseOnAnySelect(select);
        Clauses.numericLimit(select);
        Scope scope = enclosing;
        if (select.getWithItemsList() != null && !select.getWithItemsList().isEmpty()) {
            scope = new Scope(enclosing);
            commonTables(select.getWithItemsList(), scope);
        }
        switch (select) {
            case PlainSelect plain -> plain(plain, scope, outermost);
            case SetOperationList setOperations -> setOperations(setOperations, scope);
            case LateralSubSelect lateral -> throw new GuardRefusal(RefusalKind.UNSUPPORTED_CONSTRUCT,
                    "LATERAL is only supported in FROM: " + lateral);
            case ParenthesedSelect parenthesed -> {
                Clauses.refuseOnFromItem(parenthesed.getPivot(), parenthesed.getUnPivot(),
                        parenthesed.getSampleClause());
                query(parenthesed.getSelect(), scope, outermost);
            }
            case Values values -> {
                Clauses.refuseOnFromItem(values.getPivot(), values.getUnPivot(), values.getSampleClause());
                this.expressions.expressions(values.getExpressions(), scope == null ? new Scope(null) : scope);
            }
            default -> throw new GuardRefusal(RefusalKind.NOT_A_QUERY, "the statement form "
                    + select.getClass().getSimpleName() + " is not accepted; write SELECT … FROM …");
        }
    }

    private void commonTables(List<WithItem<?>> items, Scope scope) {
        boolean recursive = items.stream().anyMatch(WithItem::isRecursive);
        if (recursive) {
            items.forEach(item -> scope.declareCommonTable(name(item)));
        }
        for (WithItem<?> item : items) {
            if (!(item.getParenthesedStatement() instanceof ParenthesedSelect body)) {
                throw new GuardRefusal(RefusalKind.WRITING_OR_LOCKING_CLAUSE, "the WITH query " + item.getAliasName()
                        + " writes (INSERT, UPDATE or DELETE); only SELECT is accepted in WITH");
            }
            if (item.getSearchClause() != null || item.getCycleClause() != null
                    || item.getWithFunctionDeclaration() != null) {
                throw new GuardRefusal(RefusalKind.UNSUPPORTED_CONSTRUCT, "SEARCH, CYCLE and functions in WITH are not "
                        + "supported");
            }
            query(body, scope, false);
            scope.declareCommonTable(name(item));
        }
    }

    private String name(WithItem<?> item) {
        return Identifiers.normalize(item.getAliasName(), this.context.kind());
    }

    private void plain(PlainSelect plain, Scope enclosing, boolean outermost) {
        Clauses.refuseOnPlainSelect(plain);
        Scope scope = new Scope(enclosing);
        if (plain.getFromItem() != null) {
            fromItem(plain.getFromItem(), scope, enclosing);
        }
        joins(plain.getJoins(), scope, enclosing);
        if (plain.getDistinct() != null && plain.getDistinct().getOnSelectItems() != null) {
            plain.getDistinct().getOnSelectItems().forEach(item -> this.expressions.expression(item.getExpression(),
                    scope));
        }
        selectItems(plain.getSelectItems(), scope, outermost);
        this.expressions.expression(plain.getWhere(), scope);
        groupBy(plain.getGroupBy(), scope);
        this.expressions.expression(plain.getHaving(), scope);
        if (plain.getWindowDefinitions() != null) {
            for (WindowDefinition window : plain.getWindowDefinitions()) {
                this.expressions.rawExpressions(window.getPartitionExpressionList(), scope);
                this.expressions.orderBy(window.getOrderByElements(), scope);
            }
        }
        this.expressions.orderBy(plain.getOrderByElements(), scope);
    }

    private void selectItems(List<SelectItem<?>> items, Scope scope, boolean outermost) {
        boolean starSeen = false;
        for (int position = 0; position < items.size(); position++) {
            SelectItem<?> item = items.get(position);
            Expression expression = item.getExpression();
            if (item.getAlias() != null) {
                scope.addOutputName(Identifiers.normalize(item.getAlias().getName(), this.context.kind()));
            }
            else if (expression instanceof Column column) {
                scope.addOutputName(Identifiers.normalize(column.getColumnName(), this.context.kind()));
            }
            if (expression instanceof AllColumns star) {
                this.columns.star(star, scope);
                starSeen = true;
            }
            else if (outermost && expression instanceof Column column) {
                if (this.columns.column(column, scope, ColumnRules.Use.SELECTED)) {
                    if (starSeen) {
                        throw new GuardRefusal(RefusalKind.COLUMN_NOT_ALLOWED, "a masked column may not follow * in "
                                + "the select list; list the columns");
                    }
                    this.context.maskedOutput(position);
                }
            }
            else {
                this.expressions.expression(expression, scope);
            }
        }
    }

    private void groupBy(GroupByElement groupBy, Scope scope) {
        if (groupBy == null) {
            return;
        }
        this.expressions.expressions(groupBy.getGroupByExpressionList(), scope);
        if (groupBy.getGroupingSets() != null) {
            groupBy.getGroupingSets().forEach(set -> this.expressions.expressions(set, scope));
        }
    }

    private void setOperations(SetOperationList setOperations, Scope scope) {
        if (setOperations.getSampleClause() != null) {
            throw new GuardRefusal(RefusalKind.UNSUPPORTED_CONSTRUCT, "TABLESAMPLE is not supported");
        }
        for (Select branch : setOperations.getSelects()) {
            query(branch, scope, false);
        }
        if (setOperations.getOrderByElements() != null) {
            for (OrderByElement element : setOperations.getOrderByElements()) {
                // A set operation's ORDER BY may only name its output columns (or their positions).
                boolean outputName = element.getExpression() instanceof Column column && column.getTable() == null;
                if (!outputName && !(element.getExpression() instanceof LongValue)) {
                    throw new GuardRefusal(RefusalKind.UNSUPPORTED_CONSTRUCT, "ORDER BY after UNION, INTERSECT or "
                            + "EXCEPT may only name output columns; wrap the query in a subquery to sort otherwise");
                }
                if (outputName) {
                    this.context.checked(element.getExpression());
                }
            }
        }
    }

    private void joins(List<Join> joins, Scope scope, Scope enclosing) {
        if (joins == null) {
            return;
        }
        for (Join join : joins) {
            Clauses.refuseOnJoin(join);
            fromItem(join.getFromItem(), scope, enclosing);
            if (join.getOnExpressions() != null) {
                this.expressions.expressions(join.getOnExpressions(), scope);
            }
            if (join.getUsingColumns() != null) {
                join.getUsingColumns().forEach(column -> this.columns.column(column, scope, ColumnRules.Use.COMPUTED));
            }
        }
    }

    private void fromItem(FromItem item, Scope scope, Scope enclosing) {
        switch (item) {
            case Table table -> table(table, scope);
            case LateralSubSelect lateral -> {
                // LATERAL sees the FROM items to its left.
                query(lateral.getSelect(), scope, false);
                scope.add(derived(lateral.getAlias()));
            }
            case ParenthesedSelect derived -> {
                Clauses.refuseOnFromItem(derived.getPivot(), derived.getUnPivot(), derived.getSampleClause());
                query(derived, enclosing, false);
                scope.add(derived(derived.getAlias()));
            }
            case ParenthesedFromItem parenthesed -> {
                if (parenthesed.getAlias() != null) {
                    throw new GuardRefusal(RefusalKind.UNSUPPORTED_CONSTRUCT, "an alias on a parenthesised join is "
                            + "not supported; alias the tables inside");
                }
                Clauses.refuseOnFromItem(parenthesed.getPivot(), parenthesed.getUnPivot(),
                        parenthesed.getSampleClause());
                fromItem(parenthesed.getFromItem(), scope, enclosing);
                joins(parenthesed.getJoins(), scope, enclosing);
            }
            default -> throw new GuardRefusal(RefusalKind.FUNCTION_NOT_ALLOWED, "only tables and subqueries may "
                    + "stand in FROM, not " + ExpressionChecker.abbreviated(item) + "; select from a table");
        }
    }

    private Scope.Source derived(Alias alias) {
        String name = alias == null ? null : Identifiers.normalize(alias.getName(), this.context.kind());
        return new Scope.Source(name, name, null);
    }

    private void table(Table table, Scope scope) {
        this.context.checked(table);
        Clauses.refuseOnTable(table);
        String qualified = this.columns.qualifier(table);
        String name = Identifiers.normalize(table.getName(), this.context.kind());
        String schema = table.getSchemaName() == null ? null
                : Identifiers.normalize(table.getSchemaName(), this.context.kind());
        if (SystemCatalogues.isSystem(schema, name, this.context.kind())) {
            throw new GuardRefusal(RefusalKind.SYSTEM_CATALOGUE, table.getFullyQualifiedName() + " is a system "
                    + "catalogue, which is never readable; ask about the connection's tables: "
                    + this.context.readableTables());
        }
        Alias alias = table.getAlias();
        String reference = alias == null ? name : Identifiers.normalize(alias.getName(), this.context.kind());
        if (schema == null && scope.isCommonTable(name)) {
            scope.add(new Scope.Source(reference, reference, null));
            return;
        }
        TableAccess access = this.context.table(qualified).orElseThrow(() -> new GuardRefusal(
                RefusalKind.TABLE_NOT_ALLOWED, "the table " + table.getFullyQualifiedName() + " is not readable on "
                        + "this connection; readable tables: " + this.context.readableTables()));
        if (alias != null && alias.getAliasColumns() != null && !alias.getAliasColumns().isEmpty()) {
            throw new GuardRefusal(RefusalKind.COLUMN_NOT_ALLOWED, "renaming a table's columns in its alias ("
                    + alias + ") is not accepted; alias the table only");
        }
        scope.add(new Scope.Source(reference, alias == null ? qualified : reference, access));
    }

}
