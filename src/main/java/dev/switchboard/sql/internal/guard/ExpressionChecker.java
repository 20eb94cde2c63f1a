package dev.switchboard.sql.internal.guard;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import net.sf.jsqlparser.expression.AnalyticExpression;
import net.sf.jsqlparser.expression.AnyComparisonExpression;
import net.sf.jsqlparser.expression.BinaryExpression;
import net.sf.jsqlparser.expression.BooleanValue;
import net.sf.jsqlparser.expression.CaseExpression;
import net.sf.jsqlparser.expression.CastExpression;
import net.sf.jsqlparser.expression.CollateExpression;
import net.sf.jsqlparser.expression.DateTimeLiteralExpression;
import net.sf.jsqlparser.expression.DateUnitExpression;
import net.sf.jsqlparser.expression.DateValue;
import net.sf.jsqlparser.expression.DoubleValue;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.ExtractExpression;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.HexValue;
import net.sf.jsqlparser.expression.IntervalExpression;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.MySQLGroupConcat;
import net.sf.jsqlparser.expression.NotExpression;
import net.sf.jsqlparser.expression.NullValue;
import net.sf.jsqlparser.expression.SignedExpression;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.expression.TimeKeyExpression;
import net.sf.jsqlparser.expression.TimeValue;
import net.sf.jsqlparser.expression.TimestampValue;
import net.sf.jsqlparser.expression.TrimFunction;
import net.sf.jsqlparser.expression.WhenClause;
import net.sf.jsqlparser.expression.operators.relational.Between;
import net.sf.jsqlparser.expression.operators.relational.ExistsExpression;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.expression.operators.relational.InExpression;
import net.sf.jsqlparser.expression.operators.relational.IsBooleanExpression;
import net.sf.jsqlparser.expression.operators.relational.IsNullExpression;
import net.sf.jsqlparser.expression.operators.relational.LikeExpression;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.statement.select.AllColumns;
import net.sf.jsqlparser.statement.select.OrderByElement;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.Select;

/**
 * Checks expressions: an allow-list of expression kinds, each walked into all of its parts. A kind not listed
 * here is refused as unsupported rather than run unexamined — new parser versions add kinds, and a kind the
 * walk does not know could hide a table, a column or a function.
 */
final class ExpressionChecker {

    /** SQL-standard niladic keywords that read the clock; {@code CURRENT_USER} and kin are not among them. */
    private static final Set<String> CLOCK_KEYWORDS = Set.of("current_date", "current_time", "current_timestamp",
            "localtime", "localtimestamp", "current_date()", "current_time()", "current_timestamp()");

    private final CheckContext context;

    private final ColumnRules columns;

    private final QueryChecker queries;

    ExpressionChecker(CheckContext context, ColumnRules columns, QueryChecker queries) {
        this.context = context;
        this.columns = columns;
        this.queries = queries;
    }

    void expressions(Collection<? extends Expression> expressions, Scope scope) {
        if (expressions != null) {
            for (Expression expression : expressions) {
                expression(expression, scope);
            }
        }
    }

    /** For the parser's raw {@code ExpressionList}s (window partitions). */
    void rawExpressions(List<?> expressions, Scope scope) {
        if (expressions != null) {
            for (Object expression : expressions) {
                expression((Expression) expression, scope);
            }
        }
    }

    void expression(Expression expression, Scope scope) {
        if (expression == null) {
            return;
        }
        switch (expression) {
            case NullValue ignored -> {
            }
            case LongValue ignored -> {
            }
            case DoubleValue ignored -> {
            }
            case HexValue ignored -> {
            }
            case BooleanValue ignored -> {
            }
            case DateValue ignored -> {
            }
            case TimeValue ignored -> {
            }
            case TimestampValue ignored -> {
            }
            case DateTimeLiteralExpression ignored -> {
            }
            case StringValue string -> string(string);
            case TimeKeyExpression key -> timeKey(key);
            case Column column -> this.columns.column(column, scope, ColumnRules.Use.COMPUTED);
            case DateUnitExpression unit -> this.columns.unqualified(unitName(unit), scope, ColumnRules.Use.COMPUTED);
            case AllColumns star -> this.columns.star(star, scope);
            case ExpressionList<?> list -> expressions(list, scope);
            case LikeExpression like -> {
                binary(like, scope);
                expression(like.getEscape(), scope);
            }
            case BinaryExpression binary -> binary(binary, scope);
            case NotExpression not -> expression(not.getExpression(), scope);
            case SignedExpression signed -> expression(signed.getExpression(), scope);
            case Between between -> {
                expression(between.getLeftExpression(), scope);
                expression(between.getBetweenExpressionStart(), scope);
                expression(between.getBetweenExpressionEnd(), scope);
            }
            case InExpression in -> {
                expression(in.getLeftExpression(), scope);
                expression(in.getRightExpression(), scope);
            }
            case IsNullExpression isNull -> expression(isNull.getLeftExpression(), scope);
            case IsBooleanExpression isBoolean -> expression(isBoolean.getLeftExpression(), scope);
            case ExistsExpression exists -> expression(exists.getRightExpression(), scope);
            case AnyComparisonExpression any -> this.queries.subquery(any.getSelect(), scope);
            case ParenthesedSelect subquery -> this.queries.subquery(subquery, scope);
            case Select select -> this.queries.subquery(select, scope);
            case CaseExpression caseExpression -> caseExpression(caseExpression, scope);
            case WhenClause when -> {
                expression(when.getWhenExpression(), scope);
                expression(when.getThenExpression(), scope);
            }
            case CastExpression cast -> cast(cast, scope);
            case CollateExpression collate -> expression(collate.getLeftExpression(), scope);
            case ExtractExpression extract -> expression(extract.getExpression(), scope);
            case IntervalExpression interval -> expression(interval.getExpression(), scope);
            case TrimFunction trim -> {
                expression(trim.getExpression(), scope);
                expression(trim.getFromExpression(), scope);
            }
            case Function function -> function(function, scope);
            case AnalyticExpression analytic -> analytic(analytic, scope);
            case MySQLGroupConcat groupConcat -> {
                expressions(groupConcat.getExpressionList(), scope);
                orderBy(groupConcat.getOrderByElements(), scope);
            }
            default -> throw unsupported(expression);
        }
    }

    void orderBy(List<OrderByElement> elements, Scope scope) {
        if (elements == null) {
            return;
        }
        for (OrderByElement element : elements) {
            if (element.getWithFill() != null) {
                throw new GuardRefusal(RefusalKind.UNSUPPORTED_CONSTRUCT, "ORDER BY … WITH FILL is not supported");
            }
            if (element.getExpression() instanceof Column column) {
                this.columns.column(column, scope, ColumnRules.Use.ORDER_BY_ITEM);
            }
            else if (element.getExpression() instanceof DateUnitExpression unit) {
                this.columns.unqualified(unitName(unit), scope, ColumnRules.Use.ORDER_BY_ITEM);
            }
            else {
                expression(element.getExpression(), scope);
            }
        }
    }

    /** A bare {@code month} or {@code year} the parser reads as a date unit: the engine reads a column name. */
    private static String unitName(DateUnitExpression unit) {
        return unit.toString().toLowerCase(Locale.ROOT);
    }

    private void binary(BinaryExpression binary, Scope scope) {
        expression(binary.getLeftExpression(), scope);
        expression(binary.getRightExpression(), scope);
    }

    private static void string(StringValue string) {
        if (string.getPrefix() != null && !string.getPrefix().isEmpty()) {
            throw new GuardRefusal(RefusalKind.LEXICAL, "prefixed strings (" + string.getPrefix() + "'…') are not "
                    + "accepted; write a plain single-quoted string");
        }
    }

    private static void timeKey(TimeKeyExpression key) {
        if (!CLOCK_KEYWORDS.contains(key.getStringValue().toLowerCase(Locale.ROOT).replace(" ", ""))) {
            throw new GuardRefusal(RefusalKind.FUNCTION_NOT_ALLOWED, key.getStringValue() + " is not allowed; only "
                    + "the date and time keywords (CURRENT_DATE, CURRENT_TIMESTAMP, …) are");
        }
    }

    private void caseExpression(CaseExpression caseExpression, Scope scope) {
        expression(caseExpression.getSwitchExpression(), scope);
        expressions(caseExpression.getWhenClauses(), scope);
        expression(caseExpression.getElseExpression(), scope);
    }

    private void cast(CastExpression cast, Scope scope) {
        if (cast.getColumnDefinitions() != null && !cast.getColumnDefinitions().isEmpty()) {
            throw unsupported(cast);
        }
        String type = cast.getColDataType() == null ? "" : cast.getColDataType().getDataType();
        if (!SafeTypes.allowed(type)) {
            throw new GuardRefusal(RefusalKind.TYPE_NOT_ALLOWED, "casting to " + type + " is not allowed; cast only "
                    + "to plain value types (integer, numeric, text, varchar, date, timestamp, boolean, …)");
        }
        expression(cast.getLeftExpression(), scope);
    }

    private void function(Function function, Scope scope) {
        this.context.checked(function);
        String name = functionName(function.getMultipartName(), function.getName());
        if (function.getAttribute() != null || function.getKeep() != null || function.getChainedParameters() != null
                || function.getLimit() != null || function.isEscaped()
                || function.getHavingClause() != null) {
            throw unsupported(function);
        }
        if (function.getParameters() != null) {
            for (Expression parameter : function.getParameters()) {
                if (parameter instanceof AllColumns star && !(star instanceof net.sf.jsqlparser.statement.select.AllTableColumns)
                        && name.equals("count") && star.getExceptColumns() == null) {
                    this.context.checked(star);
                    continue;
                }
                expression(parameter, scope);
            }
        }
        // SQL-standard keyword forms: substring(x FROM 1 FOR 3), position('a' IN x).
        expressions(function.getNamedParameters(), scope);
        if (function.getKeywordArguments() != null) {
            for (Function.KeywordArgument argument : function.getKeywordArguments()) {
                expression(argument.getExpression(), scope);
            }
        }
        orderBy(function.getOrderByElements(), scope);
    }

    private void analytic(AnalyticExpression analytic, Scope scope) {
        this.context.checked(analytic);
        functionName(List.of(analytic.getName()), analytic.getName());
        if (analytic.getKeep() != null || analytic.getHavingClause() != null || analytic.getLimit() != null
                || analytic.getWindowName() != null && analytic.getWindowDefinition() == null) {
            throw unsupported(analytic);
        }
        expression(analytic.getExpression(), scope);
        expression(analytic.getOffset(), scope);
        expression(analytic.getDefaultValue(), scope);
        expressions(analytic.getPartitionExpressionList(), scope);
        orderBy(analytic.getOrderByElements(), scope);
        orderBy(analytic.getFuncOrderBy(), scope);
        expression(analytic.getFilterExpression(), scope);
        if (analytic.getKeywordArguments() != null) {
            for (Function.KeywordArgument argument : analytic.getKeywordArguments()) {
                expression(argument.getExpression(), scope);
            }
        }
    }

    private String functionName(List<String> parts, String written) {
        if (parts != null && parts.size() > 1) {
            throw new GuardRefusal(RefusalKind.FUNCTION_NOT_ALLOWED, "schema-qualified functions (" + written
                    + ") are not allowed; call the plain function by name");
        }
        String name = Identifiers.normalize(written, this.context.kind());
        if (!SafeFunctions.allowed(name, this.context.kind())) {
            throw new GuardRefusal(RefusalKind.FUNCTION_NOT_ALLOWED, "the function " + name + " is not allowed; "
                    + "only plain computations (aggregates, window, string, number and date functions) may be "
                    + "called");
        }
        return name;
    }

    private static GuardRefusal unsupported(Expression expression) {
        return new GuardRefusal(RefusalKind.UNSUPPORTED_CONSTRUCT, "the expression " + abbreviated(expression)
                + " (" + expression.getClass().getSimpleName() + ") is not supported; write it with plain "
                + "operators and allowed functions");
    }

    static String abbreviated(Object node) {
        String text = String.valueOf(node);
        return text.length() > 80 ? text.substring(0, 77) + "..." : text;
    }

}
