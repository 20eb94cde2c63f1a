package dev.switchboard.chat.internal;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The retention job: every {@code switchboard.chat.purge-interval}, deletes sessions that expired more than
 * {@code switchboard.chat.retention} ago (and sessions their users deleted) with their messages, a small
 * batch per transaction so live traffic never waits on it. Every replica runs it; batches lock with
 * {@code skip locked}, so replicas share the work instead of colliding.
 */
@Component
class SessionPurge implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(SessionPurge.class);

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final ChatProperties properties;
    private final Clock clock;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("session-purge").daemon().factory());

    SessionPurge(JdbcClient jdbc, PlatformTransactionManager transactions, ChatProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactions);
        this.properties = properties;
        this.clock = clock;
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        long interval = properties.purgeInterval().toMillis();
        scheduler.scheduleWithFixedDelay(this::purgeQuietly, interval, interval, TimeUnit.MILLISECONDS);
    }

    /** Purges until nothing is left; returns how many sessions went. */
    int purge() {
        Timestamp cutoff = Timestamp.from(clock.instant().minus(properties.retention()));
        int total = 0;
        while (true) {
            Integer purged = transactions.execute(status -> jdbc.sql("select switchboard_purge_sessions(:cutoff, :batch)")
                    .param("cutoff", cutoff).param("batch", properties.purgeBatch()).query(Integer.class).single());
            if (purged == null || purged == 0) {
                return total;
            }
            total += purged;
        }
    }

    private void purgeQuietly() {
        try {
            int purged = purge();
            if (purged > 0) {
                log.info("Purged {} expired or deleted chat sessions with their messages", purged);
            }
        }
        catch (RuntimeException ex) {
            log.warn("Purging expired chat sessions failed; retrying at the next run", ex);
        }
    }

    @Override
    public void destroy() {
        scheduler.shutdownNow();
    }
}
