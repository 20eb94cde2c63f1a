package dev.switchboard.sql.internal.guard;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.parser.CCJSqlParser;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.Statements;
import net.sf.jsqlparser.statement.select.Select;

/**
 * Decides whether a statement written by a model (or a person) may run against a registered database: exactly
 * one plain read-only query over allowed tables, columns and functions, with a bounded LIMIT. Works on the
 * statement as JSqlParser parses it, never on text patterns, in these steps:
 * <ol>
 * <li>{@link LexicalScreen}: refuse the few lexical forms on which the server and the parser could disagree;</li>
 * <li>parse as the dialect (a statement the parser cannot read is refused) — exactly one statement, a query;</li>
 * <li>{@link QueryChecker}: the allow-lists and the clause rules over every level of the query, then
 * {@link NodeCoverage}: every table, column and function the parser's own visitor finds was examined;</li>
 * <li>{@link RowLimit}, then print the statement back from the tree — the SQL that runs is what was examined,
 * with comments gone — and check the printed SQL again, which must come back unchanged (a statement the printer
 * would change is refused rather than trusted).</li>
 * </ol>
 * Thread-safe; the outcome is a {@link GuardVerdict} value, never an exception.
 */
public final class SqlGuard {

    /** Parsing a model's query takes milliseconds; the bound only stops a pathological input. */
    private static final long PARSE_TIMEOUT_MILLIS = 2_000;

    /** Deeper nesting than any query a question needs; bounds the parser's and the walk's recursion. */
    private static final int MAX_NESTING = 40;

    /**
     * JSqlParser runs each parse on an executor to enforce its timeout; one shared pool of daemon virtual
     * threads instead of a new thread pool per parse (its default).
     */
    private static final ExecutorService PARSER_THREADS = Executors
            .newThreadPerTaskExecutor(Thread.ofVirtual().name("sql-guard-parse-", 0).factory());

    /** Checks one statement against one connection's policy. */
    public GuardVerdict check(String sql, GuardPolicy policy) {
        Optional<GuardVerdict.Refused> lexical = LexicalScreen.screen(sql, policy.kind());
        if (lexical.isPresent()) {
            return lexical.get();
        }
        try {
            Analysis first = analyse(sql, policy);
            long rowLimit = RowLimit.enforce(first.select(), policy.maxRows());
            String printed = first.select().toString();
            Analysis again = analyse(printed, policy);
            boolean stable = RowLimit.enforce(again.select(), policy.maxRows()) == rowLimit
                    && again.select().toString().equals(printed) && again.masked().equals(first.masked());
            if (!stable) {
                return new GuardVerdict.Refused(RefusalKind.UNPARSABLE, "the statement does not read back the same "
                        + "after printing; write it more plainly");
            }
            return new GuardVerdict.Allowed(printed, rowLimit, first.masked());
        }
        catch (GuardRefusal refusal) {
            return refusal.verdict();
        }
        catch (RuntimeException ex) {
            // Fail closed: a statement the walk trips over is refused, not run.
            return new GuardVerdict.Refused(RefusalKind.UNSUPPORTED_CONSTRUCT, "the guard could not examine this "
                    + "statement; write a plain SELECT");
        }
        catch (StackOverflowError ex) {
            return new GuardVerdict.Refused(RefusalKind.UNPARSABLE, "the statement is nested too deeply");
        }
    }

    private record Analysis(Select select, List<Integer> masked) {
    }

    private static Analysis analyse(String sql, GuardPolicy policy) {
        Statement statement = single(parse(sql, policy));
        if (!(statement instanceof Select select)) {
            throw new GuardRefusal(RefusalKind.NOT_A_QUERY, "only a SELECT query may run, not " + describe(statement)
                    + "; write one SELECT … FROM … that reads the data");
        }
        CheckContext context = new CheckContext(policy);
        new QueryChecker(context).statement(select);
        NodeCoverage.verify(select, context);
        return new Analysis(select, context.maskedOutputs());
    }

    private static Statements parse(String sql, GuardPolicy policy) {
        try {
            return CCJSqlParserUtil.parseStatements(sql, PARSER_THREADS, parser -> configure(parser, policy));
        }
        catch (JSQLParserException ex) {
            throw new GuardRefusal(RefusalKind.UNPARSABLE, "the statement could not be parsed as "
                    + policy.kind().wireName() + " SQL" + firstLine(ex) + "; write one plain SELECT query");
        }
    }

    private static void configure(CCJSqlParser parser, GuardPolicy policy) {
        parser.withTimeOut(PARSE_TIMEOUT_MILLIS)
                .withAllowedNestingDepth(MAX_NESTING)
                .withSquareBracketQuotation(false)
                .withDoubleQuotedStrings(false)
                .withDollarQuotedStringTags(false)
                .withHashLineComments(false)
                .withBackslashEscapeCharacter(policy.kind().mysqlFamily())
                .withUnsupportedStatements(false)
                .withErrorRecovery(false);
    }

    private static Statement single(Statements statements) {
        if (statements == null || statements.isEmpty()) {
            throw new GuardRefusal(RefusalKind.UNPARSABLE, "no statement was found; write one SELECT query");
        }
        if (statements.size() > 1) {
            throw new GuardRefusal(RefusalKind.MULTIPLE_STATEMENTS, "only one statement may run, this text holds "
                    + statements.size() + "; remove everything after the first query (and the semicolons)");
        }
        return statements.get(0);
    }

    private static String describe(Statement statement) {
        String name = statement.getClass().getSimpleName().replaceAll("Statement$", "")
                .replaceAll("([a-z])([A-Z])", "$1 $2");
        return name.toUpperCase(Locale.ROOT);
    }

    private static String firstLine(JSQLParserException ex) {
        String message = ex.getCause() != null && ex.getCause().getMessage() != null ? ex.getCause().getMessage()
                : ex.getMessage();
        if (message == null || message.isBlank()) {
            return "";
        }
        String line = message.lines().findFirst().orElse("").trim().replaceFirst("^[\\w.]+Exception: ", "")
                .replace(", in lexical state DEFAULT", "");
        return line.isEmpty() ? "" : " (" + (line.length() > 160 ? line.substring(0, 157) + "..." : line) + ")";
    }

}
