package dev.switchboard.sql.internal.guard;

import net.sf.jsqlparser.expression.AnalyticExpression;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.util.TablesNamesFinder;

/**
 * A second opinion on the walk: JSqlParser's own {@link TablesNamesFinder} visits the statement, and every table,
 * column and function it reaches must be one the guard's rules looked at. A clause the walk does not descend
 * into — one a parser upgrade adds, or one overlooked — is refused instead of run unexamined.
 */
final class NodeCoverage {

    private NodeCoverage() {
    }

    static void verify(Statement statement, CheckContext context) {
        Collector collector = new Collector(context);
        try {
            collector.getTables(statement);
        }
        catch (UnsupportedOperationException ex) {
            throw new GuardRefusal(RefusalKind.UNSUPPORTED_CONSTRUCT, "the statement uses a construct the guard "
                    + "cannot examine; write a plain SELECT");
        }
        if (collector.unchecked != null) {
            throw new GuardRefusal(RefusalKind.UNSUPPORTED_CONSTRUCT, ExpressionChecker.abbreviated(collector.unchecked)
                    + " stands where the guard does not examine it; write a plain SELECT");
        }
    }

    private static final class Collector extends TablesNamesFinder<Void> {

        private final CheckContext context;

        private Object unchecked;

        Collector(CheckContext context) {
            this.context = context;
        }

        private void note(Object node) {
            if (this.unchecked == null && !this.context.wasChecked(node)) {
                this.unchecked = node;
            }
        }

        @Override
        public <S> Void visit(Table table, S parameter) {
            note(table);
            return super.visit(table, parameter);
        }

        @Override
        public <S> Void visit(Column column, S parameter) {
            note(column);
            return super.visit(column, parameter);
        }

        @Override
        public <S> Void visit(Function function, S parameter) {
            note(function);
            return super.visit(function, parameter);
        }

        @Override
        public <S> Void visit(AnalyticExpression analytic, S parameter) {
            note(analytic);
            return super.visit(analytic, parameter);
        }

    }

}
