package bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import dev.switchboard.sql.internal.DatabaseKind;
import dev.switchboard.sql.internal.TableAccess;
import dev.switchboard.sql.internal.guard.GuardPolicy;
import dev.switchboard.sql.internal.guard.GuardVerdict;
import dev.switchboard.sql.internal.guard.SqlGuard;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;

/**
 * Guard time per statement (bench/sql-guard.sh): {@link SqlGuard#check} over the valid-query corpus of one dialect
 * (src/test/resources/sql/valid), one corpus pass per invocation, reported per statement; the baseline in the
 * same run is JSqlParser's own {@code parseStatements} of the same statements (the guard parses twice — the
 * statement and its printed form — and walks both).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SqlGuardBench {

    @Param({"postgresql", "mariadb"})
    public String dialect;

    private final SqlGuard guard = new SqlGuard();

    private List<String> statements;

    private GuardPolicy policy;

    @Setup
    public void load() throws IOException {
        Path corpus = Path.of(System.getProperty("corpus.dir", "src/test/resources/sql/valid"), this.dialect + ".sql");
        this.statements = statements(Files.readString(corpus, StandardCharsets.UTF_8));
        this.policy = new GuardPolicy(this.dialect.equals("postgresql") ? DatabaseKind.POSTGRESQL : DatabaseKind.MARIADB,
                List.of(new TableAccess("customers", List.of(), List.of("email")),
                        new TableAccess("orders", List.of(), List.of()), new TableAccess("products", List.of(), List.of()),
                        new TableAccess("order_items", List.of(), List.of()),
                        new TableAccess("employees", List.of("id", "name", "dept", "manager_id"), List.of())),
                1000);
        for (String sql : this.statements) {
            if (!(this.guard.check(sql, this.policy) instanceof GuardVerdict.Allowed)) {
                throw new IllegalStateException("the corpus holds a statement the guard refuses: " + sql);
            }
        }
    }

    /** The full guard on every statement of the corpus; divide by {@link #statementCount()} for one statement. */
    @Benchmark
    public void guard(Blackhole sink) {
        for (String sql : this.statements) {
            sink.consume(this.guard.check(sql, this.policy));
        }
    }

    /** Baseline: JSqlParser's parse alone, default settings, same statements. */
    @Benchmark
    public void parseOnly(Blackhole sink) throws Exception {
        for (String sql : this.statements) {
            sink.consume(CCJSqlParserUtil.parseStatements(sql));
        }
    }

    public int statementCount() {
        return this.statements.size();
    }

    static List<String> statements(String corpus) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = null;
        for (String line : corpus.split("\n", -1)) {
            if (line.startsWith("=== ")) {
                if (current != null) {
                    statements.add(current.toString().strip());
                }
                current = new StringBuilder();
            }
            else if (current != null) {
                current.append(line).append('\n');
            }
        }
        if (current != null) {
            statements.add(current.toString().strip());
        }
        return statements;
    }

}
