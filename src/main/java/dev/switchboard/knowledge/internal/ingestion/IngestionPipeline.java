package dev.switchboard.knowledge.internal.ingestion;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.switchboard.knowledge.KnowledgeDocument;
import dev.switchboard.knowledge.internal.DocumentStore;
import dev.switchboard.knowledge.internal.KnowledgeProperties;
import dev.switchboard.knowledge.internal.chunking.Chunk;
import dev.switchboard.knowledge.internal.embedding.Embedder;
import dev.switchboard.knowledge.internal.embedding.EmbeddingFailure;
import dev.switchboard.knowledge.internal.index.ChunkIndex;
import dev.switchboard.knowledge.internal.index.IndexedChunk;
import dev.switchboard.knowledge.internal.index.Vectors;
import dev.switchboard.knowledge.internal.parsing.Deadline;
import dev.switchboard.knowledge.internal.parsing.DocumentParser;
import dev.switchboard.knowledge.internal.parsing.ParsedDocument;
import dev.switchboard.knowledge.internal.parsing.UnreadableDocument;
import dev.switchboard.tenancy.TenantContext;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Documents' ingestion: parse → clean → chunk → embed → index, with each document's status and progress on its
 * row. Several documents of a tenant may run together ({@link #ingestAll}): their chunks are embedded, indexed and
 * recorded in shared batches. Chunk ids are derived from document and position, and progress is saved after each
 * batch is durably indexed, so a run that is interrupted (a crash, a restart) resumes after the last saved batch —
 * re-indexing at most that batch, under the same ids: no duplicates, no orphans.
 */
@Component
public class IngestionPipeline {

    private static final Logger log = LoggerFactory.getLogger(IngestionPipeline.class);

    static final int BATCH = 32;

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final DocumentStore store;
    private final DocumentParser parser;
    private final Chunking chunking;
    private final Embedder embedder;
    private final ChunkIndex index;
    private final KnowledgeProperties properties;
    private final MeterRegistry meters;
    private final IndexState indexState;
    private volatile boolean dimensionNoted;

    IngestionPipeline(JdbcClient jdbc, PlatformTransactionManager transactionManager, DocumentStore store, Chunking chunking,
            Embedder embedder, ChunkIndex index, KnowledgeProperties properties, MeterRegistry meters, IndexState indexState) {
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactionManager);
        this.store = store;
        this.parser = new DocumentParser(properties.maxExtractedCharacters());
        this.chunking = chunking;
        this.embedder = embedder;
        this.index = index;
        this.properties = properties;
        this.meters = meters;
        this.indexState = indexState;
    }

    /**
     * Ingests the document; failures a retry cannot fix mark it failed, others are thrown to be retried. A
     * document whose attempts are already spent (its last run died with the process, or marking it failed did
     * not work) is marked failed without another run.
     */
    public void ingest(UUID tenantId, UUID documentId) {
        ingest(tenantId, documentId, Deadline.none());
    }

    /** As {@link #ingest(UUID, UUID)}, failing the document with the reason once the attempt is past its deadline. */
    public void ingest(UUID tenantId, UUID documentId, Deadline deadline) {
        RuntimeException passing = ingestAll(tenantId, List.of(documentId), deadline).get(documentId);
        if (passing != null) {
            throw passing;
        }
    }

    /**
     * Ingests several documents of one tenant together: each is parsed and chunked on its own, then their chunks are
     * embedded in batches of up to {@value #BATCH} across documents, each batch indexed with one index commit and
     * recorded in one transaction (the chunk rows in one multi-row insert, every document's progress, and the status
     * {@code indexed} of the documents the batch completes). A document's progress is saved only after the index commit
     * that covers its chunks, as when documents ran one by one, so a crash mid-batch loses nothing that was recorded.
     * Each document has its own outcome: one that fails (unreadable, refused by the model, deleted meanwhile) does not
     * take the others down; an embedding or a database write that fails for the batch is retried document by document.
     * The time budget is the first document's (the job's): once it is spent, that document fails with the reason and
     * the others still under way end with a passing failure, to be retried on their own — a document that stalls the
     * model fails by itself then, not its companions.
     *
     * @return the documents whose run failed for a passing reason, with the failure: they are to be retried
     */
    public Map<UUID, RuntimeException> ingestAll(UUID tenantId, List<UUID> documentIds, Deadline deadline) {
        return TenantContext.callAs(tenantId, () -> {
            Map<UUID, RuntimeException> passing = new LinkedHashMap<>();
            UUID lead = documentIds.getFirst();
            List<Work> works = prepare(tenantId, lead, documentIds, deadline, passing);
            embedAndRecord(tenantId, lead, works, deadline, passing);
            return passing;
        });
    }

    /** Past the time budget: the job's own document fails with the reason, a companion is retried on its own. */
    private void outOfTime(UUID tenantId, UUID lead, UUID documentId, Deadline deadline, Map<UUID, RuntimeException> passing) {
        if (documentId.equals(lead)) {
            failQuietly(tenantId, documentId, deadline.reason(), passing);
        }
        else {
            passing.put(documentId, new IllegalStateException("The batch it was ingested with ran out of time; it is retried alone."));
        }
    }

    /** A document under way: its chunks and the next one to embed. */
    private static final class Work {

        final Row row;
        final List<Chunk> chunks;
        UUID knowledgeBase;
        int next;
        boolean dropped;

        Work(Row row, List<Chunk> chunks, int start) {
            this.row = row;
            this.chunks = chunks;
            this.next = start;
        }

        boolean pending() {
            return !dropped && next < chunks.size();
        }
    }

    /** Part of a document's chunks inside a batch. */
    private record Slice(Work work, int from, int to) {

        List<Chunk> chunks() {
            return work.chunks.subList(from, to);
        }
    }

    /** Reads the documents, counts an attempt for each one to run, parses and chunks them, and marks them embedding. */
    private List<Work> prepare(UUID tenantId, UUID lead, List<UUID> documentIds, Deadline deadline,
            Map<UUID, RuntimeException> passing) {
        Map<UUID, Row> rows = rows(documentIds);
        List<Row> toRun = new ArrayList<>();
        for (UUID id : documentIds) {
            Row row = rows.get(id);
            if (row == null || row.status().equals(KnowledgeDocument.INDEXED)) {
                continue;
            }
            try {
                if (row.status().equals(KnowledgeDocument.FAILED)) {
                    // Marked failed, but its chunks' removal from the index may not have happened.
                    index.deleteDocument(tenantId, id);
                }
                else if (row.attempts() >= properties.maxAttempts()) {
                    fail(tenantId, id, exhausted(row.attempts()));
                }
                else {
                    toRun.add(row);
                }
            }
            catch (RuntimeException ex) {
                passing.put(id, ex);
            }
        }
        if (toRun.isEmpty()) {
            return List.of();
        }
        transactions.executeWithoutResult(tx -> jdbc.sql("update knowledge_documents set status = 'parsing', attempts = attempts + 1, "
                + "updated_at = now() where id = any(:ids)").param("ids", toRun.stream().map(Row::id).toArray(UUID[]::new)).update());
        List<Work> works = new ArrayList<>();
        List<Chunked> chunked = chunkAll(tenantId, toRun, deadline);
        for (int i = 0; i < toRun.size(); i++) {
            Row row = toRun.get(i);
            List<Chunk> chunks = chunked.get(i).chunks();
            switch (chunked.get(i).failure()) {
                case null -> {
                    // Chunks embedded by another model (the model changed since the last run) are not comparable: start over.
                    int start = embedder.modelId().equals(row.embeddingModel()) ? Math.min(row.chunksDone(), chunks.size()) : 0;
                    works.add(new Work(row, chunks, start));
                }
                case UnreadableDocument unreadable when deadline.passed() -> outOfTime(tenantId, lead, row.id(), deadline, passing);
                case UnreadableDocument unreadable -> failQuietly(tenantId, row.id(), unreadable.getMessage(), passing);
                case IOException ex -> passing.put(row.id(), new UncheckedIOException(ex));
                case RuntimeException ex -> passing.put(row.id(), ex);
                case Exception ex -> passing.put(row.id(), new IllegalStateException(ex));
            }
        }
        if (works.isEmpty()) {
            return works;
        }
        Map<UUID, UUID> bases = transactions.execute(tx -> {
            Map<UUID, UUID> found = new HashMap<>();
            for (Work work : works) {
                jdbc.sql("update knowledge_documents set status = 'embedding', chunks_total = :total, chunks_done = :start, "
                        + "embedding_model = :model, updated_at = now() where id = :id returning knowledge_base_id")
                        .param("total", work.chunks.size()).param("start", work.next).param("model", embedder.modelId())
                        .param("id", work.row.id()).query(UUID.class).optional().ifPresent(base -> found.put(work.row.id(), base));
            }
            return found;
        });
        List<Work> running = new ArrayList<>();
        for (Work work : works) {
            work.knowledgeBase = bases.get(work.row.id());
            if (work.knowledgeBase == null) {
                deletedQuietly(tenantId, work.row.id(), passing);
            }
            else if (work.next >= work.chunks.size()) {
                // Every chunk was recorded before the last run ended.
                finishAlone(tenantId, work, passing);
            }
            else {
                running.add(work);
            }
        }
        return running;
    }

    /** A document parsed, cleaned and chunked, or why it could not be. */
    private record Chunked(List<Chunk> chunks, Exception failure) {
    }

    /**
     * Parses and chunks the documents, up to one per available processor at the same time (the calling thread and virtual
     * threads, each in the tenant's context), so that a batch of small documents is not read one by one while the cores
     * wait; each document's outcome is kept in its place.
     */
    private List<Chunked> chunkAll(UUID tenantId, List<Row> rows, Deadline deadline) {
        Chunked[] results = new Chunked[rows.size()];
        AtomicInteger next = new AtomicInteger();
        Runnable lane = () -> TenantContext.runAs(tenantId, () -> {
            for (int i; (i = next.getAndIncrement()) < rows.size();) {
                results[i] = chunkOne(rows.get(i), tenantId, deadline);
            }
        });
        int lanes = Math.min(rows.size(), Runtime.getRuntime().availableProcessors());
        List<Thread> helpers = new ArrayList<>(lanes - 1);
        for (int i = 1; i < lanes; i++) {
            helpers.add(Thread.ofVirtual().name("ingestion-parse").start(lane));
        }
        lane.run();
        for (Thread helper : helpers) {
            joinUninterruptibly(helper);
        }
        for (int i = 0; i < results.length; i++) {
            if (results[i] == null) {
                // Its lane ended with an Error (thrown there, and logged by the thread's handler).
                results[i] = new Chunked(List.of(), new IllegalStateException("Parsing the document failed unexpectedly."));
            }
        }
        return List.of(results);
    }

    private static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            }
            catch (InterruptedException ex) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private Chunked chunkOne(Row row, UUID tenantId, Deadline deadline) {
        try {
            List<Chunk> chunks = chunking.chunk(clean(parse(tenantId, row, deadline)));
            if (chunks.isEmpty()) {
                throw new UnreadableDocument("The file contains no text to index.");
            }
            if (chunks.size() > properties.maxChunks()) {
                throw new UnreadableDocument("The file makes " + chunks.size() + " chunks, more than the limit of "
                        + properties.maxChunks() + " (switchboard.knowledge.max-chunks); split it into smaller documents.");
            }
            return new Chunked(chunks, null);
        }
        catch (UnreadableDocument | IOException | RuntimeException ex) {
            return new Chunked(List.of(), ex);
        }
    }

    private void embedAndRecord(UUID tenantId, UUID lead, List<Work> works, Deadline deadline, Map<UUID, RuntimeException> passing) {
        while (true) {
            List<Slice> batch = nextBatch(works);
            if (batch.isEmpty()) {
                return;
            }
            if (deadline.passed()) {
                for (Slice slice : batch) {
                    slice.work().next = slice.from();
                }
                for (Work work : works) {
                    if (work.pending()) {
                        work.dropped = true;
                        outOfTime(tenantId, lead, work.row.id(), deadline, passing);
                    }
                }
                return;
            }
            Map<Slice, List<float[]>> vectors = embed(tenantId, batch, passing);
            List<Slice> embedded = new ArrayList<>(vectors.keySet());
            if (embedded.isEmpty()) {
                continue;
            }
            Map<Slice, List<IndexedChunk>> indexed = new LinkedHashMap<>();
            for (Slice slice : embedded) {
                List<float[]> sliceVectors = vectors.get(slice);
                List<IndexedChunk> chunks = new ArrayList<>(sliceVectors.size());
                List<Chunk> sliceChunks = slice.chunks();
                for (int i = 0; i < sliceChunks.size(); i++) {
                    Chunk chunk = sliceChunks.get(i);
                    UUID documentId = slice.work().row.id();
                    chunks.add(new IndexedChunk(tenantId, slice.work().knowledgeBase, documentId, slice.work().row.name(),
                            chunkId(documentId, chunk.ordinal()), chunk.ordinal(), chunk.location(), chunk.text(), embedder.modelId(),
                            sliceVectors.get(i)));
                }
                indexed.put(slice, chunks);
                noteDimension(sliceVectors);
            }
            Set<Slice> gone;
            try {
                // One index commit for the whole batch, before any of it is recorded as done; the index follower removes
                // no document between the two (it would take chunks written here but not yet recorded with it).
                gone = index.upsertThenRecord(indexed.values().stream().flatMap(List::stream).toList(),
                        () -> record(tenantId, indexed, passing));
            }
            catch (RuntimeException ex) {
                // The index write failed (recording catches its own failures): nothing of the batch is recorded.
                for (Slice slice : embedded) {
                    slice.work().dropped = true;
                    passing.put(slice.work().row.id(), ex);
                }
                continue;
            }
            recorded(tenantId, indexed, gone, passing);
        }
    }

    /** Up to {@value #BATCH} chunks, taken from the documents in order (a large document fills batches of its own). */
    private static List<Slice> nextBatch(List<Work> works) {
        List<Slice> batch = new ArrayList<>();
        int room = BATCH;
        for (Work work : works) {
            if (room == 0) {
                break;
            }
            if (!work.pending()) {
                continue;
            }
            int to = Math.min(work.chunks.size(), work.next + room);
            batch.add(new Slice(work, work.next, to));
            room -= to - work.next;
            work.next = to;
        }
        return batch;
    }

    /**
     * The batch's vectors, in one call of the model; if that call fails, document by document, so that a document the
     * model refuses does not take the others down.
     */
    private Map<Slice, List<float[]>> embed(UUID tenantId, List<Slice> batch, Map<UUID, RuntimeException> passing) {
        Map<Slice, List<float[]>> vectors = new LinkedHashMap<>();
        try {
            List<float[]> all = embedder.embedDocuments(batch.stream().flatMap(slice -> slice.chunks().stream()).map(Chunk::text)
                    .toList());
            int at = 0;
            for (Slice slice : batch) {
                int size = slice.to() - slice.from();
                vectors.put(slice, all.subList(at, at + size));
                at += size;
            }
            return vectors;
        }
        catch (RuntimeException together) {
            if (batch.size() == 1) {
                embeddingFailed(tenantId, batch.getFirst(), together, passing);
                return vectors;
            }
        }
        for (Slice slice : batch) {
            try {
                vectors.put(slice, embedder.embedDocuments(slice.chunks().stream().map(Chunk::text).toList()));
            }
            catch (RuntimeException alone) {
                embeddingFailed(tenantId, slice, alone, passing);
            }
        }
        return vectors;
    }

    private void embeddingFailed(UUID tenantId, Slice slice, RuntimeException failure, Map<UUID, RuntimeException> passing) {
        slice.work().dropped = true;
        if (failure instanceof EmbeddingFailure refused && refused.permanent()) {
            failQuietly(tenantId, slice.work().row.id(), refused.getMessage(), passing);
        }
        else {
            passing.put(slice.work().row.id(), failure);
        }
    }

    /**
     * Records an indexed batch in one transaction: each document's progress first (which locks its row: a deletion
     * either happened before — nothing is updated, and what was just indexed is removed — or waits until this commits,
     * then removes the rows and vectors itself), with the status {@code indexed} for the documents it completes, then
     * the chunk rows in one insert. If the transaction fails, each document is recorded on its own.
     *
     * @return the slices whose document is no longer being ingested
     */
    private Set<Slice> record(UUID tenantId, Map<Slice, List<IndexedChunk>> indexed, Map<UUID, RuntimeException> passing) {
        Set<Slice> gone;
        try {
            gone = transactions.execute(tx -> write(tenantId, indexed));
        }
        catch (RuntimeException together) {
            if (indexed.size() == 1) {
                Slice slice = indexed.keySet().iterator().next();
                slice.work().dropped = true;
                passing.put(slice.work().row.id(), together);
                return Set.of();
            }
            gone = new HashSet<>();
            for (Map.Entry<Slice, List<IndexedChunk>> entry : indexed.entrySet()) {
                try {
                    gone.addAll(transactions.execute(tx -> write(tenantId, Map.of(entry.getKey(), entry.getValue()))));
                }
                catch (RuntimeException alone) {
                    entry.getKey().work().dropped = true;
                    passing.put(entry.getKey().work().row.id(), alone);
                }
            }
        }
        return gone;
    }

    /** After {@link #record}: documents deleted meanwhile leave the index, completed ones are counted. */
    private void recorded(UUID tenantId, Map<Slice, List<IndexedChunk>> indexed, Set<Slice> gone, Map<UUID, RuntimeException> passing) {
        for (Map.Entry<Slice, List<IndexedChunk>> entry : indexed.entrySet()) {
            Slice slice = entry.getKey();
            Work work = slice.work();
            if (gone.contains(slice)) {
                work.dropped = true;
                deletedQuietly(tenantId, work.row.id(), passing);
            }
            else if (!work.dropped) {
                Counter.builder("switchboard.knowledge.chunks.indexed").description("Chunks embedded and indexed")
                        .register(meters).increment(entry.getValue().size());
                if (slice.to() == work.chunks.size()) {
                    indexed(work);
                }
            }
        }
    }

    /** The batch's writes, inside a transaction; returns the slices whose document is no longer being ingested. */
    private Set<Slice> write(UUID tenantId, Map<Slice, List<IndexedChunk>> indexed) {
        Set<Slice> gone = new HashSet<>();
        List<IndexedChunk> rows = new ArrayList<>();
        for (Map.Entry<Slice, List<IndexedChunk>> entry : indexed.entrySet()) {
            Slice slice = entry.getKey();
            boolean last = slice.to() == slice.work().chunks.size();
            int updated = jdbc.sql("update knowledge_documents set chunks_done = :done, "
                    + (last ? "status = 'indexed', error = null, " : "") + "updated_at = now() where id = :id and status = 'embedding'")
                    .param("done", slice.to()).param("id", slice.work().row.id()).update();
            if (updated == 0) {
                gone.add(slice);
            }
            else {
                rows.addAll(entry.getValue());
            }
        }
        if (!rows.isEmpty()) {
            insertChunks(tenantId, rows);
        }
        return gone;
    }

    /**
     * The chunk rows in one multi-row insert. A batch written again (a resumed run, a run that started over under
     * another model) replaces the row's vector: the rows are what every replica's index follows.
     */
    private void insertChunks(UUID tenantId, List<IndexedChunk> chunks) {
        StringBuilder sql = new StringBuilder("insert into knowledge_chunks (id, tenant_id, document_id, ordinal, location, text, "
                + "embedding_model, embedding) values ");
        for (int i = 0; i < chunks.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("(:id").append(i).append(", :tenant, :document").append(i).append(", :ordinal")
                    .append(i).append(", :location").append(i).append(", :text").append(i).append(", :model").append(i)
                    .append(", :embedding").append(i).append(')');
        }
        sql.append(" on conflict (id) do update set location = excluded.location, text = excluded.text, "
                + "embedding_model = excluded.embedding_model, embedding = excluded.embedding");
        JdbcClient.StatementSpec statement = jdbc.sql(sql.toString()).param("tenant", tenantId);
        for (int i = 0; i < chunks.size(); i++) {
            IndexedChunk chunk = chunks.get(i);
            statement = statement.param("id" + i, chunk.chunkId()).param("document" + i, chunk.documentId())
                    .param("ordinal" + i, chunk.ordinal()).param("location" + i, chunk.location()).param("text" + i, chunk.text())
                    .param("model" + i, chunk.model()).param("embedding" + i, Vectors.toBytes(chunk.vector()));
        }
        statement.update();
    }

    /** A resumed document whose chunks were all recorded: only its status is left. */
    private void finishAlone(UUID tenantId, Work work, Map<UUID, RuntimeException> passing) {
        try {
            Integer finished = transactions.execute(status -> jdbc.sql("update knowledge_documents set status = 'indexed', "
                    + "error = null, updated_at = now() where id = :id and status = 'embedding'").param("id", work.row.id()).update());
            if (finished == null || finished == 0) {
                deleted(tenantId, work.row.id());
                return;
            }
            indexed(work);
        }
        catch (RuntimeException ex) {
            passing.put(work.row.id(), ex);
        }
    }

    private void indexed(Work work) {
        Counter.builder("switchboard.knowledge.documents").description("Documents ingested, by outcome")
                .tag("outcome", "indexed").register(meters).increment();
        log.info("Indexed document {} ({} chunks)", work.row.id(), work.chunks.size());
    }

    private void failQuietly(UUID tenantId, UUID documentId, String reason, Map<UUID, RuntimeException> passing) {
        try {
            fail(tenantId, documentId, reason);
        }
        catch (RuntimeException ex) {
            passing.put(documentId, ex);
        }
    }

    private void deletedQuietly(UUID tenantId, UUID documentId, Map<UUID, RuntimeException> passing) {
        try {
            deleted(tenantId, documentId);
        }
        catch (RuntimeException ex) {
            passing.put(documentId, ex);
        }
    }

    /**
     * After a failed run: marks the document failed if it has no attempt left.
     *
     * @return whether the document is done with (failed, gone or indexed): its job can end
     */
    public boolean giveUpIfExhausted(UUID tenantId, UUID documentId) {
        return TenantContext.callAs(tenantId, () -> {
            Optional<Row> found = row(documentId);
            if (found.isEmpty() || found.get().status().equals(KnowledgeDocument.INDEXED)
                    || found.get().status().equals(KnowledgeDocument.FAILED)) {
                return true;
            }
            if (found.get().attempts() < properties.maxAttempts()) {
                return false;
            }
            fail(tenantId, documentId, exhausted(found.get().attempts()));
            return true;
        });
    }

    private static String exhausted(int attempts) {
        return "Ingestion failed " + attempts + " times for a passing reason (see the server log); upload the document "
                + "again to retry.";
    }

    private record Row(UUID id, String name, String mediaType, String sha256, String status, int chunksDone, String embeddingModel,
            int attempts) {
    }

    /** The watchdog's verdict on an attempt past its budget: the document fails with the reason, unless it is done. */
    void timedOut(UUID tenantId, UUID documentId, String reason) {
        TenantContext.runAs(tenantId, () -> {
            Optional<Row> found = row(documentId);
            if (found.isPresent() && !found.get().status().equals(KnowledgeDocument.INDEXED)
                    && !found.get().status().equals(KnowledgeDocument.FAILED)) {
                fail(tenantId, documentId, reason);
            }
        });
    }

    /** Parses a copy of the original (the parsers read files), deleted afterwards. */
    private ParsedDocument parse(UUID tenantId, Row document, Deadline deadline) throws UnreadableDocument, IOException {
        Optional<Path> copy = store.copyToTemporaryFile(tenantId, document.sha256());
        if (copy.isEmpty()) {
            throw new UnreadableDocument("The original file is no longer stored; upload the document again.");
        }
        try {
            return parser.parse(copy.get(), document.mediaType(), deadline);
        }
        finally {
            Files.deleteIfExists(copy.get());
        }
    }

    /** The document was deleted (or failed) while it was being ingested: nothing of it may stay searchable. */
    private void deleted(UUID tenantId, UUID documentId) {
        index.deleteDocument(tenantId, documentId);
        log.info("Document {} was deleted during its ingestion; its chunks were removed", documentId);
    }

    private void noteDimension(List<float[]> vectors) {
        if (!dimensionNoted && !vectors.isEmpty()) {
            indexState.noteDimension(vectors.getFirst().length);
            dimensionNoted = true;
        }
    }

    /** The chunk id of a document's n-th chunk: the same on every attempt. */
    static UUID chunkId(UUID documentId, int ordinal) {
        return UUID.nameUUIDFromBytes((documentId + "/" + ordinal).getBytes(StandardCharsets.UTF_8));
    }

    /** Text as extraction leaves it is noisy: control characters, runs of spaces, hyphenated line breaks. */
    static ParsedDocument clean(ParsedDocument parsed) {
        List<ParsedDocument.Block> blocks = new ArrayList<>();
        for (ParsedDocument.Block block : parsed.blocks()) {
            String text = block.text()
                    .replaceAll("[\\p{Cntrl}&&[^\n\t]]", "")
                    .replaceAll("(\\p{L})-\n(\\p{Ll})", "$1$2")
                    .replaceAll("[ \\t\\u00A0]+", " ")
                    .replaceAll(" *\n *", "\n")
                    .replaceAll("\n{3,}", "\n\n")
                    .strip();
            if (!text.isEmpty()) {
                blocks.add(new ParsedDocument.Block(block.kind(), block.level(), block.page(), text));
            }
        }
        return new ParsedDocument(parsed.title(), blocks);
    }

    private Optional<Row> row(UUID documentId) {
        return Optional.ofNullable(rows(List.of(documentId)).get(documentId));
    }

    private Map<UUID, Row> rows(List<UUID> documentIds) {
        Map<UUID, Row> rows = new HashMap<>();
        transactions.execute(status -> jdbc.sql(
                "select id, name, media_type, sha256, status, chunks_done, embedding_model, attempts from "
                        + "knowledge_documents where id = any(:ids)")
                .param("ids", documentIds.toArray(UUID[]::new))
                .query((rs, n) -> new Row(rs.getObject("id", UUID.class), rs.getString("name"), rs.getString("media_type"),
                        rs.getString("sha256"), rs.getString("status"), rs.getInt("chunks_done"),
                        rs.getString("embedding_model"), rs.getInt("attempts")))
                .list()).forEach(row -> rows.put(row.id(), row));
        return rows;
    }

    /**
     * Removes the document's chunks and marks it failed, so a failed document has nothing searchable however far it
     * got. The chunk rows and the status change commit in one transaction; the document leaves the index both before
     * (nothing of it is found while the database refuses the change) and after that commit, which is the removal that
     * counts: a look of the index follower that read the rows before they were deleted may have written them back in
     * between, and {@link ChunkIndex#deleteDocument} waits for any such page to be written before it removes them. A
     * removal done before the commit only could be undone that way, and the chunks stayed found until the follower's
     * next look. Throws when the database does not take it (the job then stays and is retried).
     */
    private void fail(UUID tenantId, UUID documentId, String reason) {
        index.deleteDocument(tenantId, documentId);
        Integer failed = transactions.execute(tx -> {
            int updated = jdbc.sql("update knowledge_documents set status = 'failed', error = :error, chunks_done = 0, "
                    + "updated_at = now() where id = :id and status <> 'failed'").param("error", reason).param("id", documentId).update();
            jdbc.sql("delete from knowledge_chunks where document_id = :id").param("id", documentId).update();
            return updated;
        });
        index.deleteDocument(tenantId, documentId);
        if (failed == null || failed == 0) {
            // Already failed (the watchdog was first): the first reason stands.
            return;
        }
        Counter.builder("switchboard.knowledge.documents").description("Documents ingested, by outcome")
                .tag("outcome", "failed").register(meters).increment();
        log.info("Document {} failed ingestion: {}", documentId, reason);
    }
}
