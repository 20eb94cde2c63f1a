package dev.switchboard.sql.internal.ask;

import java.time.Clock;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import dev.switchboard.identity.Caller;
import dev.switchboard.identity.SecurityEventOccurred;
import dev.switchboard.llm.Chain;
import dev.switchboard.llm.LlmMessage;
import dev.switchboard.llm.LlmRequest;
import dev.switchboard.llm.LlmResult;
import dev.switchboard.llm.LlmRouter;
import dev.switchboard.llm.LlmUnavailableException;
import dev.switchboard.llm.ModelCallQuota;
import dev.switchboard.persona.Persona;
import dev.switchboard.persona.PersonaCatalog;
import dev.switchboard.shared.SwitchboardException;
import dev.switchboard.shared.TraceAttributes;
import dev.switchboard.shared.TraceSpan;
import dev.switchboard.shared.Traces;
import dev.switchboard.sql.AskableDatabase;
import dev.switchboard.sql.DatabaseQuestions;
import dev.switchboard.sql.SqlAnswer;
import dev.switchboard.sql.SqlQuestion;
import dev.switchboard.sql.internal.catalog.ConnectionCatalogs;
import dev.switchboard.sql.internal.catalog.SchemaRenderer;
import dev.switchboard.sql.internal.connection.DatabaseUnavailableException;
import dev.switchboard.sql.internal.connection.RegisteredDatabase;
import dev.switchboard.sql.internal.connection.SqlConnections;
import dev.switchboard.sql.internal.connection.UsableDatabase;
import dev.switchboard.sql.internal.execution.FailureKind;
import dev.switchboard.sql.internal.execution.QueryOutcome;
import dev.switchboard.sql.internal.execution.QueryRequest;
import dev.switchboard.sql.internal.execution.ReadOnlyExecutor;
import dev.switchboard.sql.internal.guard.GuardPolicy;
import dev.switchboard.sql.internal.guard.GuardVerdict;
import dev.switchboard.sql.internal.guard.SqlGuard;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Turns a question into rows: the schema the question needs ({@link ConnectionCatalogs#schemaFor}), one model call
 * for the statement ({@link SqlPrompts}), the guard, the read-only executor; a refusal by the guard or the database
 * goes back to the model with its reason, at most {@link AskProperties#maxCorrections()} times. Every ask ends in one
 * audit event ({@code sql.asked}) with the last statement and the outcome, and in the
 * {@code switchboard.sql.asks} counter by outcome.
 */
@Service
class SqlAsker implements DatabaseQuestions {

    static final String AUDIT_ACTION = "sql.asked";

    /** The audit keeps the statement up to this length; a model's statement is rarely a tenth of it. */
    static final int AUDIT_SQL_CHARS = 4_000;

    /** A model's reply quoted in a refusal is cut to this length. */
    private static final int SAID_CHARS = 500;

    /** The context window assumed for a chain whose targets do not configure one. */
    private static final int FALLBACK_CONTEXT_TOKENS = 8_192;

    private final SqlConnections connections;
    private final ConnectionCatalogs catalogs;
    private final LlmRouter router;
    private final PersonaCatalog personas;
    private final ModelCallQuota quota;
    private final AskProperties properties;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final Traces traces;
    private final MeterRegistry meters;
    private final SqlGuard guard = new SqlGuard();
    private final ReadOnlyExecutor executor = new ReadOnlyExecutor();

    SqlAsker(SqlConnections connections, ConnectionCatalogs catalogs, LlmRouter router, PersonaCatalog personas,
            ModelCallQuota quota, AskProperties properties, ApplicationEventPublisher events, Clock clock, Traces traces,
            MeterRegistry meters) {
        this.connections = connections;
        this.catalogs = catalogs;
        this.router = router;
        this.personas = personas;
        this.quota = quota;
        this.properties = properties;
        this.events = events;
        this.clock = clock;
        this.traces = traces;
        this.meters = meters;
    }

    @Override
    public List<AskableDatabase> askable(Caller caller) {
        return connections.usable(caller).stream().map(SqlAsker::askable).toList();
    }

    @Override
    public Optional<AskableDatabase> askable(String idOrName, Caller caller) {
        if (idOrName == null || idOrName.isBlank()) {
            return Optional.empty();
        }
        try {
            return connections.find(UUID.fromString(idOrName.strip()), caller).map(SqlAsker::askable);
        }
        catch (IllegalArgumentException notAnId) {
            return askable(caller).stream().filter(database -> database.name().equals(idOrName.strip())).findFirst();
        }
    }

    private static AskableDatabase askable(RegisteredDatabase database) {
        return new AskableDatabase(database.id(), database.name(), database.description(), database.kind().wireName());
    }

    @Override
    public SqlAnswer ask(SqlQuestion question, AskProgress progress) {
        String text = question.question().strip();
        if (text.isEmpty() || text.length() > properties.maxQuestionLength()) {
            throw new SwitchboardException(HttpStatus.BAD_REQUEST, "validation", "question: required, at most "
                    + properties.maxQuestionLength() + " characters (switchboard.sql.ask.max-question-length).");
        }
        UsableDatabase database = connections.dataSource(question.connectionId(), question.caller());
        Chain chain = chain(question);
        Attempts attempts = new Attempts(question, database.settings());
        try (TraceSpan span = traces.start("sql.ask")) {
            span.tag(TraceAttributes.TENANT, question.caller().tenantId().toString())
                    .tag(TraceAttributes.DB_SYSTEM, database.settings().kind().wireName())
                    .tag(TraceAttributes.DB_NAMESPACE, database.settings().name());
            try {
                SqlAnswer answer = answer(text, database, chain, question, progress, attempts);
                span.tag(TraceAttributes.SQL_CORRECTIONS, answer.corrections());
                attempts.end("answered", answer.rowCount(), null);
                return answer;
            }
            catch (SqlAskException refused) {
                span.failed(refused.slug());
                attempts.end(outcome(refused.slug()), null, refused.reason());
                throw refused;
            }
            catch (RuntimeException unavailable) {
                span.failed(unavailable);
                attempts.end("unavailable", null, unavailable instanceof SwitchboardException problem
                        ? problem.getBody().getDetail() : unavailable.getClass().getSimpleName());
                throw unavailable;
            }
        }
    }

    private SqlAnswer answer(String question, UsableDatabase database, Chain chain, SqlQuestion asked, AskProgress progress,
            Attempts attempts) {
        RegisteredDatabase settings = database.settings();
        long budget = (long) (router.contextTokens(chain, FALLBACK_CONTEXT_TOKENS) * properties.schemaShare());
        SchemaRenderer.Rendered schema = catalogs.schemaFor(database, question, budget, properties.maxTables());
        List<LlmMessage> messages = SqlPrompts.first(settings.kind(), schema.text(), settings.maxRows(), question);
        GuardPolicy policy = new GuardPolicy(settings.kind(), settings.allowedTables(), settings.maxRows());
        for (int round = 0;; round++) {
            boolean last = round >= properties.maxCorrections();
            LlmResult result = write(chain, messages, asked.purpose());
            SqlPrompts.Reply reply = SqlPrompts.read(result.content());
            if (reply.sql() == null) {
                throw SqlAskException.notWritten(cut(reply.explanation()));
            }
            attempts.sql = reply.sql();
            GuardVerdict verdict = check(reply.sql(), policy, settings);
            if (verdict instanceof GuardVerdict.Refused refused) {
                if (last) {
                    throw SqlAskException.rejected(reply.sql(), refused.reason(), refused.kind().wireName());
                }
                messages = SqlPrompts.correction(messages, result.content(), reply.sql(), refused.reason());
                continue;
            }
            GuardVerdict.Allowed allowed = (GuardVerdict.Allowed) verdict;
            attempts.sql = allowed.sql();
            progress.statement(allowed.sql(), reply.explanation(), round + 1);
            QueryOutcome outcome = execute(database, allowed);
            if (outcome instanceof QueryOutcome.Rows rows) {
                return new SqlAnswer(settings.id(), settings.name(), allowed.sql(), reply.explanation(),
                        rows.columns().stream().map(column -> new SqlAnswer.Column(column.name(), column.type())).toList(),
                        rows.rows(), rows.rowCount(), rows.truncated(), round, result.target().toString(), result.failover());
            }
            QueryOutcome.Failed failed = (QueryOutcome.Failed) outcome;
            if (failed.kind() == FailureKind.CONNECTION_FAILED) {
                throw new DatabaseUnavailableException(settings, failed.reason() + ".");
            }
            if (last) {
                throw SqlAskException.failed(allowed.sql(), failed.reason(), failed.kind().wireName());
            }
            messages = SqlPrompts.correction(messages, result.content(), allowed.sql(), failed.reason());
        }
    }

    /** The statement from the model: one call, its tokens reserved against the caller's quota first. */
    private LlmResult write(Chain chain, List<LlmMessage> messages, String purpose) {
        LlmRequest request = new LlmRequest(messages, List.of(), 0.0, properties.maxAnswerTokens(), false, purpose);
        ModelCallQuota.Reserved reserved = quota.reserve(request.estimatedPromptTokens() + properties.maxAnswerTokens(),
                "This question");
        long used = 0;
        try {
            LlmResult result = router.generate(chain, request);
            used = result.usage().totalTokens();
            if (!result.fromModel()) {
                // The local extractive responder cannot write SQL: every model of the chain failed.
                throw new LlmUnavailableException(result.attempts());
            }
            return result;
        }
        finally {
            reserved.settle(used);
        }
    }

    private GuardVerdict check(String sql, GuardPolicy policy, RegisteredDatabase database) {
        try (TraceSpan span = traces.start("sql.guard")) {
            span.tag(TraceAttributes.DB_SYSTEM, database.kind().wireName()).content(TraceAttributes.DB_QUERY_TEXT, sql);
            GuardVerdict verdict = guard.check(sql, policy);
            if (verdict instanceof GuardVerdict.Refused refused) {
                span.tag(TraceAttributes.SQL_REFUSAL, refused.kind().wireName());
            }
            return verdict;
        }
    }

    private QueryOutcome execute(UsableDatabase database, GuardVerdict.Allowed allowed) {
        RegisteredDatabase settings = database.settings();
        try (TraceSpan span = traces.start("sql.execute")) {
            span.tag(TraceAttributes.DB_SYSTEM, settings.kind().wireName()).tag(TraceAttributes.DB_NAMESPACE, settings.name())
                    .content(TraceAttributes.DB_QUERY_TEXT, allowed.sql());
            QueryRequest request = new QueryRequest(settings.kind(), allowed.sql(), settings.statementTimeout(),
                    settings.maxRows(), new HashSet<>(allowed.maskedColumns()));
            QueryOutcome outcome;
            try {
                outcome = connections.withConnection(database, connection -> executor.execute(connection, request));
            }
            catch (java.sql.SQLException failure) {
                outcome = new QueryOutcome.Failed(FailureKind.CONNECTION_FAILED, "the connection failed ("
                        + failure.getSQLState() + ")");
            }
            switch (outcome) {
                case QueryOutcome.Rows rows -> span.tag(TraceAttributes.DB_RETURNED_ROWS, rows.rowCount());
                case QueryOutcome.Failed failed -> span.failed(failed.kind().wireName());
            }
            return outcome;
        }
    }

    private Chain chain(SqlQuestion question) {
        if (question.agent() == null || question.agent().isBlank()) {
            return router.defaultChain();
        }
        Persona persona = personas.usable(question.agent().strip(), question.caller().actsAsAdmin())
                .orElseThrow(() -> new SwitchboardException(HttpStatus.NOT_FOUND, "not-found", "There is no agent '"
                        + question.agent().strip() + "' you may use."));
        return persona.chain() == null || persona.chain().isBlank() ? router.defaultChain() : Chain.parse(persona.chain());
    }

    private static String outcome(String slug) {
        return switch (slug) {
            case SqlAskException.REJECTED -> "rejected";
            case SqlAskException.FAILED -> "failed";
            default -> "not_written";
        };
    }

    private static String cut(String text) {
        return text == null || text.length() <= SAID_CHARS ? text : text.substring(0, SAID_CHARS - 3) + "...";
    }

    /** What one ask did, for the audit event and the counter. */
    private final class Attempts {

        private final SqlQuestion question;
        private final RegisteredDatabase database;
        private String sql;

        Attempts(SqlQuestion question, RegisteredDatabase database) {
            this.question = question;
            this.database = database;
        }

        void end(String outcome, Integer rows, String reason) {
            meters.counter("switchboard.sql.asks", "outcome", outcome).increment();
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("connection", database.name());
            details.put("outcome", outcome);
            details.put("question", cut(question.question()));
            if (sql != null) {
                details.put("sql", sql.length() <= AUDIT_SQL_CHARS ? sql : sql.substring(0, AUDIT_SQL_CHARS - 3) + "...");
            }
            if (rows != null) {
                details.put("rows", rows);
            }
            if (reason != null) {
                details.put("reason", cut(reason));
            }
            if (question.agent() != null) {
                details.put("agent", question.agent());
            }
            details.put("via", question.purpose());
            Caller caller = question.caller();
            events.publishEvent(new SecurityEventOccurred(AUDIT_ACTION, caller.tenantId(), caller.userId(), caller.email(),
                    address(), database.id(), details, clock.instant()));
        }
    }

    private static String address() {
        return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes
                ? attributes.getRequest().getRemoteAddr() : null;
    }
}
