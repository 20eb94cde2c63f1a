package dev.switchboard.knowledge.internal.index;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.switchboard.knowledge.internal.index.LuceneChunkIndex.DocumentKey;
import dev.switchboard.tenancy.TenantContext;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Keeps a replica's Lucene index equal to the chunk rows in the database, which hold every chunk's text and vector:
 * whatever any replica ingested, re-indexed or deleted becomes searchable (or stops being) here within about one
 * {@code index-follow-interval}, without embedding anything.
 * <p>
 * <b>How far it got</b> is a position in the database's transaction order, committed inside the Lucene index with the
 * chunks it covers (so a crash can never leave the two apart). Every chunk row records the transaction that last wrote
 * it ({@code changed_xid}) and every deletion leaves a tombstone with its transaction; each look reads what the
 * transactions in {@code [position, horizon)} wrote, where the horizon is the oldest transaction still running
 * ({@code pg_snapshot_xmin}): everything before it has committed or aborted, so nothing that commits later can land
 * behind the position. (A sequence number would not do: numbers are taken in one order and committed in another.)
 * <p>
 * <b>Pages and removals.</b> Each page of rows is read and written under the index's lock
 * ({@link LuceneChunkIndex#readAndApply}), which a document's removal also takes: a removal made after the rows were
 * deleted (a failed ingestion, a deleted document) is never undone by a page read before.
 * <p>
 * <b>Tombstones and this replica's ingestions.</b> An ingestion writes its chunks to the index before the transaction
 * that records them, under the ids of the rows an earlier deletion may have tombstoned (a re-index). The removal of
 * tombstoned documents and the read of their remaining rows wait for ingestions between the two
 * ({@link LuceneChunkIndex#replaceDeleted}), so the read finds the recorded rows and writes them back at once.
 * <p>
 * <b>Tombstones and searches.</b> The removal of a tombstoned document and the write of the rows it has now go in one
 * commit ({@link LuceneChunkIndex#replaceDeleted}): a document that has rows again (a re-index that ended before the
 * look) stays found throughout. Committed apart, a search between the two found nothing of a re-indexed document that
 * already showed {@code indexed}.
 * <p>
 * <b>At start</b>, an index that has never followed this database (a new replica, a volume that was not kept, or one
 * left from another database, which is emptied first) is filled from every chunk row; then it follows.
 * <p>
 * What it costs: a look is two small queries when nothing changed; a chunk this replica ingested itself is read back
 * once when followed, and not written again: the index already holds it as its row is ({@link ChunkDocuments#FINGERPRINT}).
 * A transaction that stays open holds the horizon back, and with it every replica's following, for as long as it is open.
 */
public final class IndexFollower implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(IndexFollower.class);

    /** The key of the position in the Lucene index's commit data. */
    static final String POSITION = "switchboard.follows";

    /** Chunk rows read and written to the index at a time. */
    static final int PAGE = 256;

    private static final String SELECT = "select c.id, c.tenant_id, c.document_id, d.knowledge_base_id, d.name, c.ordinal, "
            + "c.location, c.text, c.embedding_model, c.embedding from knowledge_chunks c "
            + "join knowledge_documents d on d.id = c.document_id ";

    private final LuceneChunkIndex index;
    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Duration interval;
    private ScheduledExecutorService executor;
    private volatile boolean failing;
    /** Set by {@link #stop}: a look under way stops before its next page, leaving its position where it was. */
    private volatile boolean stopping;
    private volatile Position position;
    private volatile long lastLook = System.nanoTime();
    private volatile boolean caughtUp;
    private Counter written;
    private Counter unchanged;

    public IndexFollower(LuceneChunkIndex index, JdbcClient jdbc, PlatformTransactionManager transactionManager, Duration interval) {
        this.index = index;
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactionManager);
        this.interval = interval;
    }

    /**
     * Registers {@code switchboard.knowledge.index.follow.lag} (seconds): how long ago the index was last known to hold
     * everything the database had committed — about the interval while following works, growing while it does not; and
     * {@code switchboard.knowledge.index.follow.chunks} by {@code outcome}: chunk rows {@code written} to the index, or
     * found {@code unchanged} there (this replica's own ingestions).
     */
    public IndexFollower measuredBy(MeterRegistry meters) {
        Gauge.builder("switchboard.knowledge.index.follow.lag", this, follower -> (System.nanoTime() - follower.lastLook) / 1e9)
                .baseUnit("seconds").description("Time since the replica's knowledge index last caught up with the database")
                .register(meters);
        written = followedChunks("written", meters);
        unchanged = followedChunks("unchanged", meters);
        return this;
    }

    private static Counter followedChunks(String outcome, MeterRegistry meters) {
        return Counter.builder("switchboard.knowledge.index.follow.chunks").tag("outcome", outcome)
                .description("Chunk rows the index follower read, by whether it wrote them or found them in the index as they are")
                .register(meters);
    }

    /** Where the database is: which database, and the horizon before which every transaction has finished. */
    record Horizon(UUID epoch, long xmin, long xmax) {
    }

    /** How far the index has followed: which database, and the horizon of the last look. */
    record Position(UUID epoch, long xid) {

        static Position parse(String value) {
            int slash = value.indexOf('/');
            return new Position(UUID.fromString(value.substring(0, slash)), Long.parseLong(value.substring(slash + 1)));
        }

        @Override
        public String toString() {
            return epoch + "/" + xid;
        }
    }

    /** One look: catches up with what finished since the last one. */
    public synchronized void followOnce() {
        long started = System.nanoTime();
        Horizon horizon = transactions.execute(status -> jdbc.sql("select follow_epoch, pg_snapshot_xmin(pg_current_snapshot())::text, "
                + "pg_snapshot_xmax(pg_current_snapshot())::text from knowledge_index_state")
                .query((rs, n) -> new Horizon(rs.getObject(1, UUID.class), Long.parseLong(rs.getString(2)), Long.parseLong(rs.getString(
                        3))))
                .single());
        if (position == null) {
            position = index.committedValue(POSITION).map(Position::parse).orElse(null);
        }
        if (position == null || !position.epoch().equals(horizon.epoch()) || position.xid() > horizon.xmax()) {
            if (position != null) {
                log.warn(
                        "The knowledge index under the data directory followed another database ({}); emptying it to fill it from this one",
                        position);
                index.clear();
            }
            fill(horizon);
        }
        else if (position.xid() < horizon.xmin()) {
            follow(position.xid(), horizon);
        }
        lastLook = started;
        caughtUp = true;
    }

    /** Whether the index has caught up with the database at least once since start (the replica may serve searches). */
    public boolean caughtUp() {
        return caughtUp;
    }

    /** How far the index has followed, or null before the first look. */
    Position position() {
        return position;
    }

    /** Writes every chunk row (and removes every tombstoned document) up to the horizon. */
    private void fill(Horizon horizon) {
        long started = System.nanoTime();
        List<UUID> tenants = transactions.execute(status -> jdbc.sql("select * from switchboard_knowledge_chunk_tenants()")
                .query(UUID.class).list());
        int chunks = 0;
        for (UUID tenant : tenants) {
            chunks += TenantContext.callAs(tenant, () -> catchUp(tenant, 0, horizon.xmin(), true));
        }
        position = new Position(horizon.epoch(), horizon.xmin());
        index.apply(List.of(), List.of(), POSITION, position.toString());
        log.info("Knowledge index filled from the database: {} chunks of {} tenants in {} ms", chunks, tenants.size(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    /** Applies what the transactions in {@code [from, horizon)} wrote. */
    private void follow(long from, Horizon horizon) {
        List<UUID> tenants = transactions.execute(status -> jdbc.sql("select * from switchboard_knowledge_changed_tenants("
                + "cast(:from as xid8), cast(:to as xid8))").param("from", Long.toString(from)).param("to", Long.toString(horizon.xmin()))
                .query(UUID.class).list());
        for (UUID tenant : tenants) {
            TenantContext.runAs(tenant, () -> catchUp(tenant, from, horizon.xmin(), false));
        }
        position = new Position(horizon.epoch(), horizon.xmin());
        // The position is committed with changes only: any transaction anywhere moves the horizon, and a commit per look
        // for nothing would cost an fsync a second. After a restart the index redoes the looks since its last commit.
        if (!tenants.isEmpty()) {
            index.apply(List.of(), List.of(), POSITION, position.toString());
        }
    }

    /**
     * One tenant's changes in {@code [from, to)} (inside the tenant: row-level security applies): documents that lost
     * chunk rows are replaced by their remaining rows; chunk rows written in the range (all of them when
     * {@code everything}) are written.
     *
     * @return how many chunks were written
     */
    private int catchUp(UUID tenant, long from, long to, boolean everything) {
        List<UUID> deleted = transactions.execute(status -> jdbc.sql("select distinct document_id from knowledge_index_tombstones "
                + "where tenant_id = :tenant and deleted_xid >= cast(:from as xid8) and deleted_xid < cast(:to as xid8)")
                .param("tenant", tenant).param("from", Long.toString(from)).param("to", Long.toString(to)).query(UUID.class).list());
        int written = 0;
        if (!deleted.isEmpty()) {
            // In one commit with the rows they have now (a search never finds a document without its chunks in between), and
            // not while an ingestion here has written chunks of these documents and not yet recorded them: the removal would
            // take them and the read of the rows would not bring them back (a re-index's new chunks share the ids of the old
            // ones its tombstone is about).
            int replaced = index.replaceDeleted(deleted.stream().map(document -> new DocumentKey(tenant, document)).toList(),
                    new RowPages("c.document_id = any(:documents)", deleted.toArray(UUID[]::new), null));
            written += replaced;
            count(replaced, 0);
        }
        RowPages rows = everything ? new RowPages("true", null, null) : new RowPages(
                "c.changed_xid >= cast(:from as xid8) and c.changed_xid < cast(:to as xid8)", null, new long[] {from, to});
        for (LuceneChunkIndex.Page page = nextPage(rows); page.read() > 0; page = nextPage(rows)) {
            written += page.written();
            count(page.written(), page.read() - page.written());
        }
        return written;
    }

    /**
     * The next page, unless {@link #stop} was called: each page is committed with the index's commit, the position only
     * after the whole look, so a look stopped between pages is redone from its position (pages already written are found
     * unchanged).
     */
    private LuceneChunkIndex.Page nextPage(RowPages rows) {
        if (stopping) {
            throw new Stopped();
        }
        return index.readAndApply(rows);
    }

    /** A look given up between two pages because the follower is stopping. */
    static final class Stopped extends RuntimeException {

        Stopped() {
            super("the knowledge index follower is stopping", null, false, false);
        }
    }

    private void count(int writtenChunks, int unchangedChunks) {
        if (written != null) {
            written.increment(writtenChunks);
            unchanged.increment(unchangedChunks);
        }
    }

    /** The tenant's chunk rows matching {@code condition}, a page at a time in the order of their ids; empty after the last. */
    private final class RowPages implements Supplier<List<IndexedChunk>> {

        private final String condition;
        private final UUID[] documents;
        private final long[] range;
        // PostgreSQL orders uuids by their bytes, unsigned: the nil uuid comes first.
        private UUID after = new UUID(0, 0);

        RowPages(String condition, UUID[] documents, long[] range) {
            this.condition = condition;
            this.documents = documents;
            this.range = range;
        }

        @Override
        public List<IndexedChunk> get() {
            List<IndexedChunk> page = transactions.execute(status -> {
                JdbcClient.StatementSpec query = jdbc.sql(SELECT + "where " + condition + " and c.embedding is not null and c.id > :after "
                        + "order by c.id limit :limit").param("after", after).param("limit", PAGE);
                if (documents != null) {
                    query = query.param("documents", documents);
                }
                if (range != null) {
                    query = query.param("from", Long.toString(range[0])).param("to", Long.toString(range[1]));
                }
                return query.query((rs, n) -> new IndexedChunk(rs.getObject("tenant_id", UUID.class), rs.getObject("knowledge_base_id",
                        UUID.class), rs.getObject("document_id", UUID.class), rs.getString("name"), rs.getObject("id", UUID.class),
                        rs.getInt("ordinal"), rs.getString("location"), rs.getString("text"), rs.getString("embedding_model"),
                        Vectors.fromBytes(rs.getBytes("embedding")))).list();
            });
            if (!page.isEmpty()) {
                after = page.getLast().chunkId();
            }
            return page;
        }
    }

    private void lookSafely() {
        try {
            followOnce();
            if (failing) {
                log.info("Following the database with the knowledge index works again");
                failing = false;
            }
        }
        catch (Stopped ex) {
            log.info("The knowledge index follower stopped between two pages of a look; the next start resumes from its last position");
        }
        catch (RuntimeException ex) {
            if (!failing) {
                log.warn("The knowledge index could not follow the database ({}); it tries again every {} s", ex.toString(),
                        interval.toSeconds());
                failing = true;
            }
        }
    }

    @Override
    public synchronized void start() {
        if (executor == null) {
            stopping = false;
            executor = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("knowledge-index-follower").daemon().factory());
            executor.scheduleWithFixedDelay(this::lookSafely, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Starts no other look and lets the one under way stop before its next page (a page is a few hundred chunks, one index
     * commit), waiting up to 10 s for it. Only a look still running after that (a database that does not answer) is
     * interrupted: interrupted, a look could stop in the middle of the index's commit (its fsync gives up on an interrupt),
     * so a fill of a large index is not simply cut off at the deadline.
     */
    @Override
    public void stop() {
        stopping = true; // before the monitor, which the look under way holds until it stops
        synchronized (this) {
            if (executor != null) {
                executor.shutdown();
                try {
                    if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                        executor.shutdownNow();
                    }
                }
                catch (InterruptedException ex) {
                    executor.shutdownNow();
                    Thread.currentThread().interrupt();
                }
                executor = null;
            }
        }
    }

    @Override
    public boolean isRunning() {
        return executor != null;
    }

    @Override
    public int getPhase() {
        // Stops before the data source and the index close.
        return Integer.MAX_VALUE - 100;
    }
}
