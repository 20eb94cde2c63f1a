package dev.switchboard.ops.internal.secrets;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import dev.switchboard.shared.SealedSecrets;
import dev.switchboard.shared.SecretBox;
import dev.switchboard.tenancy.TenantContext;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Moves every stored secret to the current encryption key after a rotation: at start-up, then every {@link #INTERVAL}
 * during the first {@link #WATCH} and for as long as values remain to move, it walks each tenant's sealed values (each module's {@link SealedSecrets}) and re-seals, {@link #BATCH} rows per
 * short transaction, those a previous key sealed. Every replica runs it: rows are taken {@code for update skip locked}
 * and written back compare-and-set, so replicas share the work and a value an administrator changes meanwhile is
 * kept. It only writes values already moved, so a crash loses nothing and the next run carries on. Readiness does not
 * depend on it: previous keys keep opening what they sealed until it is done.
 *
 * <p>Progress: {@code switchboard.secrets.stale} (values still sealed with a previous key, as last counted),
 * {@code switchboard.secrets.resealed} and {@code switchboard.secrets.reseal.failures}, and a log line per run that
 * found work.
 */
@Component
class SecretResealJob implements DisposableBean {

    /** Short transactions: a batch locks at most this many rows, for milliseconds. */
    static final int BATCH = 100;

    /** Between runs: each costs a count per tenant and sealed column, so it does not run more often. */
    static final Duration INTERVAL = Duration.ofMinutes(10);

    /**
     * How long after start-up runs repeat although the last one found nothing: long enough for a rolling update, whose
     * replicas still on the previous key keep sealing with it until they are replaced.
     */
    static final Duration WATCH = Duration.ofHours(1);

    private static final Logger log = LoggerFactory.getLogger(SecretResealJob.class);

    /** One run's outcome. */
    record Run(long staleBefore, long resealed, long failed, long staleAfter) {
    }

    private final List<SealedSecrets> secrets;
    private final SecretBox box;
    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final AtomicLong stale = new AtomicLong();
    private final Counter resealed;
    private final Counter failures;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("secret-reseal").daemon().factory());

    SecretResealJob(List<SealedSecrets> secrets, SecretBox box, JdbcClient jdbc, TransactionTemplate transactions,
            Clock clock, MeterRegistry meters) {
        this.secrets = List.copyOf(secrets);
        this.box = box;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.clock = clock;
        Gauge.builder("switchboard.secrets.stale", stale, AtomicLong::get)
                .description("Stored secrets still sealed with a previous encryption key, as last counted").register(meters);
        this.resealed = Counter.builder("switchboard.secrets.resealed")
                .description("Stored secrets re-sealed under the current encryption key").register(meters);
        this.failures = Counter.builder("switchboard.secrets.reseal.failures")
                .description("Stored secrets no known encryption key opens").register(meters);
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        Instant watchEnds = clock.instant().plus(WATCH);
        scheduler.execute(() -> runAndReschedule(watchEnds));
    }

    private void runAndReschedule(Instant watchEnds) {
        boolean again = true;
        try {
            again = run().staleAfter() > 0;
        }
        catch (RuntimeException ex) {
            log.warn("Re-sealing stored secrets failed; retrying in {}", INTERVAL, ex);
        }
        if (again || clock.instant().isBefore(watchEnds)) {
            scheduler.schedule(() -> runAndReschedule(watchEnds), INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** One pass over every tenant's sealed values. */
    Run run() {
        List<UUID> tenants = transactions.execute(status -> jdbc.sql("select switchboard_secret_reseal_tenants()")
                .query(UUID.class).list());
        long before = count(tenants);
        stale.set(before);
        if (before == 0) {
            return new Run(0, 0, 0, 0);
        }
        log.info("{} stored secrets are sealed with a previous encryption key; re-sealing them under key {}", before,
                box.keyId());
        long done = 0;
        long failed = 0;
        for (UUID tenant : tenants) {
            for (SealedSecrets column : secrets) {
                Object after = null;
                do {
                    Object from = after;
                    SealedSecrets.Batch batch = TenantContext.callAs(tenant,
                            () -> transactions.execute(status -> column.reseal(from, BATCH)));
                    done += batch.resealed();
                    failed += batch.failed();
                    resealed.increment(batch.resealed());
                    failures.increment(batch.failed());
                    stale.addAndGet(-batch.resealed());
                    after = batch.last();
                } while (after != null);
            }
        }
        long after = count(tenants);
        stale.set(after);
        log.info("Re-sealed {} stored secrets under encryption key {}; {} could not be opened by any known key; {} remain "
                + "sealed with a previous key", done, box.keyId(), failed, after);
        return new Run(before, done, failed, after);
    }

    private long count(List<UUID> tenants) {
        long total = 0;
        for (UUID tenant : tenants) {
            for (SealedSecrets column : secrets) {
                Long count = TenantContext.callAs(tenant, () -> transactions.execute(status -> column.stale()));
                total += count == null ? 0 : count;
            }
        }
        return total;
    }

    @Override
    public void destroy() {
        scheduler.shutdownNow();
    }
}
