package dev.switchboard.metering.internal;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

import jakarta.annotation.PreDestroy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import dev.switchboard.identity.Caller;
import dev.switchboard.metering.UsageRecorder;
import dev.switchboard.tenancy.TenantContext;

/**
 * Counts usage in memory per (tenant, user, key, endpoint, status, minute) and chat turns per (tenant, persona,
 * minute), and adds the counts to {@code usage_records} and {@code usage_persona_records} every few seconds and at
 * shutdown, tenant by tenant, under row-level security.
 */
@Component
class BufferedUsageRecorder implements UsageRecorder {

    private static final Logger log = LoggerFactory.getLogger(BufferedUsageRecorder.class);
    static final UUID NO_KEY = new UUID(0, 0);

    record Counter(UUID tenantId, UUID userId, UUID apiKeyId, String endpoint, int status, Instant minute) {
    }

    record Counts(LongAdder requests, LongAdder tokensIn, LongAdder tokensOut) {

        Counts() {
            this(new LongAdder(), new LongAdder(), new LongAdder());
        }
    }

    record PersonaCounter(UUID tenantId, UUID personaId, Instant minute) {
    }

    record PersonaCounts(LongAdder turns, LongAdder failed, LongAdder tokensIn, LongAdder tokensOut) {

        PersonaCounts() {
            this(new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder());
        }

        void add(PersonaCounts other) {
            turns.add(other.turns().sum());
            failed.add(other.failed().sum());
            tokensIn.add(other.tokensIn().sum());
            tokensOut.add(other.tokensOut().sum());
        }
    }

    private final Map<Counter, Counts> pending = new ConcurrentHashMap<>();
    private final Map<PersonaCounter, PersonaCounts> pendingPersonas = new ConcurrentHashMap<>();
    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("usage-flush").daemon().factory());

    BufferedUsageRecorder(JdbcClient jdbc, TransactionTemplate transactions, Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.clock = clock;
        flusher.scheduleWithFixedDelay(this::flushQuietly, 5, 5, TimeUnit.SECONDS);
    }

    @Override
    public void request(Caller caller, String endpoint, int status) {
        counts(caller, endpoint, status).requests().increment();
    }

    @Override
    public void tokens(Caller caller, String endpoint, long tokensIn, long tokensOut) {
        Counts counts = counts(caller, endpoint, 200);
        counts.tokensIn().add(tokensIn);
        counts.tokensOut().add(tokensOut);
    }

    @Override
    public void personaTurn(UUID tenantId, UUID personaId, boolean failed, long tokensIn, long tokensOut) {
        PersonaCounts counts = pendingPersonas.computeIfAbsent(
                new PersonaCounter(tenantId, personaId, clock.instant().truncatedTo(ChronoUnit.MINUTES)), c -> new PersonaCounts());
        counts.turns().increment();
        if (failed) {
            counts.failed().increment();
        }
        counts.tokensIn().add(tokensIn);
        counts.tokensOut().add(tokensOut);
    }

    private Counts counts(Caller caller, String endpoint, int status) {
        Counter counter = new Counter(caller.tenantId(), caller.userId(),
                caller.apiKeyId() != null ? caller.apiKeyId() : NO_KEY, endpoint, status,
                clock.instant().truncatedTo(ChronoUnit.MINUTES));
        return pending.computeIfAbsent(counter, c -> new Counts());
    }

    /** Writes everything counted so far; readers call it first so that they see their own requests. */
    synchronized void flush() {
        flushPersonas();
        List<Map.Entry<Counter, Counts>> taken = new ArrayList<>();
        for (Counter counter : List.copyOf(pending.keySet())) {
            Counts counts = pending.remove(counter);
            if (counts != null) {
                taken.add(Map.entry(counter, counts));
            }
        }
        taken.stream().collect(Collectors.groupingBy(entry -> entry.getKey().tenantId())).forEach((tenant, entries) -> {
            try {
                TenantContext.runAs(tenant, () -> transactions.executeWithoutResult(status -> entries.forEach(this::upsert)));
            }
            catch (RuntimeException ex) {
                // Keep the counts for the next flush: a database hiccup loses no usage.
                entries.forEach(entry -> restore(entry.getKey(), entry.getValue()));
                throw ex;
            }
        });
    }

    private void flushPersonas() {
        List<Map.Entry<PersonaCounter, PersonaCounts>> taken = new ArrayList<>();
        for (PersonaCounter counter : List.copyOf(pendingPersonas.keySet())) {
            PersonaCounts counts = pendingPersonas.remove(counter);
            if (counts != null) {
                taken.add(Map.entry(counter, counts));
            }
        }
        taken.stream().collect(Collectors.groupingBy(entry -> entry.getKey().tenantId())).forEach((tenant, entries) -> {
            try {
                TenantContext.runAs(tenant, () -> transactions.executeWithoutResult(status -> entries.forEach(this::upsertPersona)));
            }
            catch (RuntimeException ex) {
                entries.forEach(entry -> pendingPersonas.computeIfAbsent(entry.getKey(), c -> new PersonaCounts()).add(entry.getValue()));
                throw ex;
            }
        });
    }

    private void upsertPersona(Map.Entry<PersonaCounter, PersonaCounts> entry) {
        PersonaCounter c = entry.getKey();
        PersonaCounts n = entry.getValue();
        jdbc.sql("insert into usage_persona_records (tenant_id, persona_id, minute, turns, failed, tokens_in, tokens_out) "
                + "values (:tenant, :persona, :minute, :turns, :failed, :in, :out) "
                + "on conflict (tenant_id, minute, persona_id) do update set "
                + "turns = usage_persona_records.turns + excluded.turns, "
                + "failed = usage_persona_records.failed + excluded.failed, "
                + "tokens_in = usage_persona_records.tokens_in + excluded.tokens_in, "
                + "tokens_out = usage_persona_records.tokens_out + excluded.tokens_out")
                .param("tenant", c.tenantId()).param("persona", c.personaId()).param("minute", Timestamp.from(c.minute()))
                .param("turns", n.turns().sum()).param("failed", n.failed().sum())
                .param("in", n.tokensIn().sum()).param("out", n.tokensOut().sum())
                .update();
    }

    private void restore(Counter counter, Counts counts) {
        Counts target = pending.computeIfAbsent(counter, c -> new Counts());
        target.requests().add(counts.requests().sum());
        target.tokensIn().add(counts.tokensIn().sum());
        target.tokensOut().add(counts.tokensOut().sum());
    }

    private void upsert(Map.Entry<Counter, Counts> entry) {
        Counter c = entry.getKey();
        Counts n = entry.getValue();
        jdbc.sql("insert into usage_records (tenant_id, user_id, api_key_id, endpoint, status, minute, requests, tokens_in, tokens_out) "
                + "values (:tenant, :user, :key, :endpoint, :status, :minute, :requests, :in, :out) "
                + "on conflict (tenant_id, minute, user_id, api_key_id, endpoint, status) do update set "
                + "requests = usage_records.requests + excluded.requests, "
                + "tokens_in = usage_records.tokens_in + excluded.tokens_in, "
                + "tokens_out = usage_records.tokens_out + excluded.tokens_out")
                .param("tenant", c.tenantId()).param("user", c.userId()).param("key", c.apiKeyId())
                .param("endpoint", c.endpoint()).param("status", c.status()).param("minute", Timestamp.from(c.minute()))
                .param("requests", n.requests().sum()).param("in", n.tokensIn().sum()).param("out", n.tokensOut().sum())
                .update();
    }

    private void flushQuietly() {
        try {
            flush();
        }
        catch (RuntimeException ex) {
            log.warn("Could not write usage records; they are kept for the next attempt ({})", ex.getClass().getSimpleName());
        }
    }

    @PreDestroy
    void stop() {
        flusher.shutdown();
        flushQuietly();
    }
}
