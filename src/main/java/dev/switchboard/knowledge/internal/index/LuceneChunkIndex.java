package dev.switchboard.knowledge.internal.index;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene104.Lucene104Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.SegmentReader;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.index.TieredMergePolicy;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.FieldExistsQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.LRUQueryCache;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryCachingPolicy;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherFactory;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.IOUtils;

/**
 * The chunk index of the embedded shape: one Lucene index in a directory, holding every tenant's chunks with
 * their text (BM25) and embedding (HNSW, dot product on unit vectors). Every search carries the tenant and
 * knowledge-base filter inside the query, so the top k are the best k of the caller's chunks, never fewer because
 * other tenants' chunks took their places.
 * <p>
 * Each write commits before it returns (durable: a restarted process sees it) and refreshes the searcher
 * (visible to the next search). Committing per call costs an fsync, which is small next to embedding the chunks
 * being written; callers should write a document's chunks in one call rather than one by one. Safe for concurrent
 * writes and searches. Only one process may open the directory (Lucene's write lock). Closing commits.
 * <p>
 * Writes leave the index in several segments, each searched on its own; once the index has gone a while without writes
 * its segments are merged into one ({@link IdleMerge}).
 */
public final class LuceneChunkIndex implements ChunkIndex, Closeable {

    /** Filters kept: a tenant's scope per search (its knowledge bases) is one. */
    static final int FILTERS_CACHED = 1024;
    /** Their memory: one bit per chunk of a segment (12.5 KB for 100,000 chunks), less for a sparse filter. */
    static final long FILTERS_MAX_BYTES = 32L << 20;
    /** Segments smaller than this are filtered as before: their postings are short, and they are soon merged away. */
    static final int FILTER_CACHE_MIN_DOCS = 10_000;
    /**
     * Segments smaller than this count as this large when Lucene's tiered merge policy picks what to merge. Lucene 10's
     * default, 16 MB, is larger than a whole index of several thousand chunks: every segment of such an index then looks
     * the same size, so the merges that small writes set off take the largest segment in with the small ones and rewrite
     * the whole index (its HNSW graph, postings and stored text) again and again while documents are ingested. At 2 MB
     * (Lucene 9's default) the small segments are merged among themselves; the index becomes one segment again once it
     * has gone idle ({@link IdleMerge}). Measured while ingesting 1,600 chunks in batches of 32 next to a merged index of
     * 4,000: the index's CPU 2.7–3.4 s against 1.8–1.9 s.
     */
    static final double FLOOR_SEGMENT_MB = 2;

    /**
     * Which queries {@link #filters} keeps: a search's scope ({@link ScopeQuery}: tenant and knowledge bases) and the
     * vector search's filter built on it (a conjunction of filters), at their first use, not after several as Lucene's
     * default policy does (which never caches inside BM25 either, the scope's postings being far longer than the query
     * terms'). Without the bit set, BM25 leap-frogged its terms' postings with the postings of the tenant and of the
     * knowledge bases on every search.
     */
    static final QueryCachingPolicy SCOPES = new QueryCachingPolicy() {
        @Override
        public void onUse(Query query) {
        }

        @Override
        public boolean shouldCache(Query query) {
            return query instanceof ScopeQuery || query instanceof BooleanQuery conjunction && conjunction.clauses().stream()
                    .anyMatch(clause -> clause.query() instanceof ScopeQuery) && conjunction.clauses().stream()
                            .allMatch(clause -> clause.occur() == Occur.FILTER);
        }
    };

    private final FSDirectory directory;
    private final TextAnalysis analysis;
    private final Analyzer analyzer;
    private final IndexWriter writer;
    private final SearcherManager searchers;
    /**
     * Shared by writes of chunks and by ingestions between writing chunks and recording them in the database
     * ({@link #upsertThenRecord}), exclusive for the index follower's replacement of documents whose chunk rows were
     * deleted ({@link #replaceDeleted}).
     */
    private final ReentrantReadWriteLock recording = new ReentrantReadWriteLock();
    private final IdleMerge idleMerge;
    /** The searches' filters as bit sets per segment ({@link #SCOPES}), shared by every searcher of this index. */
    private final LRUQueryCache filters;
    private boolean closed;

    /** Opens (or creates) the index in {@code path} with the tuned defaults, its segments not merged when idle. */
    public LuceneChunkIndex(Path path) throws IOException {
        this(path, LuceneIndexSettings.DEFAULT, Duration.ZERO);
    }

    public LuceneChunkIndex(Path path, LuceneIndexSettings settings) throws IOException {
        this(path, settings, Duration.ZERO);
    }

    /**
     * Opens (or creates) the index in {@code path}; after {@code idleMerge} without writes (and once after opening) its
     * segments are merged into one where that is worth it ({@link IdleMerge}); never with a zero duration.
     */
    public LuceneChunkIndex(Path path, LuceneIndexSettings settings, Duration idleMerge) throws IOException {
        this(path, settings, idleMerge, FILTER_CACHE_MIN_DOCS, FLOOR_SEGMENT_MB);
    }

    /**
     * As above, with filters cached on segments of at least {@code filterCacheMinDocs} chunks (tests cache them on any) and
     * segments under {@code floorSegmentMb} merged as if that large ({@link #FLOOR_SEGMENT_MB}).
     */
    LuceneChunkIndex(Path path, LuceneIndexSettings settings, Duration idleMerge, int filterCacheMinDocs, double floorSegmentMb)
            throws IOException {
        this.filters = new LRUQueryCache(FILTERS_CACHED, FILTERS_MAX_BYTES, leaf -> leaf.reader().maxDoc() >= filterCacheMinDocs,
                Float.POSITIVE_INFINITY);
        Files.createDirectories(path);
        this.analysis = settings.analysis();
        this.analyzer = analysis.analyzer();
        this.directory = FSDirectory.open(path);
        BM25Similarity similarity = new BM25Similarity(settings.bm25K1(), settings.bm25B());
        IndexWriterConfig config = new IndexWriterConfig(analyzer)
                .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
                .setSimilarity(similarity)
                .setCodec(codec(settings))
                .setMergePolicy(new TieredMergePolicy().setFloorSegmentMB(floorSegmentMb))
                .setCommitOnClose(true);
        try {
            this.writer = new IndexWriter(directory, config);
            this.searchers = new SearcherManager(writer, new SearcherFactory() {
                @Override
                public IndexSearcher newSearcher(IndexReader reader, IndexReader previousReader) {
                    IndexSearcher searcher = new IndexSearcher(reader);
                    searcher.setSimilarity(similarity);
                    searcher.setQueryCache(filters);
                    searcher.setQueryCachingPolicy(SCOPES);
                    return searcher;
                }
            });
        }
        catch (IOException | RuntimeException ex) {
            directory.close();
            throw ex;
        }
        this.idleMerge = IdleMerge.after(idleMerge, this::mergeSegments);
    }

    /** Lucene's current codec with our HNSW parameters (read back from the segments, so any reader opens them). */
    private static Lucene104Codec codec(LuceneIndexSettings settings) {
        KnnVectorsFormat vectors = new Lucene99HnswVectorsFormat(settings.hnswMaxConnections(), settings.hnswBeamWidth());
        return new Lucene104Codec() {
            @Override
            public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
                return vectors;
            }
        };
    }

    /** Not during a {@link #replaceDeleted}: its refresh would show the documents it replaces without their chunks. */
    @Override
    public void upsert(List<IndexedChunk> chunks) {
        if (chunks.isEmpty()) {
            return;
        }
        recording.readLock().lock();
        try {
            write(chunks);
            commitAndRefresh();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        finally {
            recording.readLock().unlock();
        }
    }

    private void write(List<IndexedChunk> chunks) throws IOException {
        for (IndexedChunk chunk : chunks) {
            writer.updateDocument(new Term(ChunkDocuments.CHUNK, chunk.chunkId().toString()), ChunkDocuments.toDocument(chunk));
        }
    }

    /**
     * Removes the document's chunks. Serialised with {@link #readAndApply}: a removal made after the document's chunk rows
     * were deleted in the database comes after every follower page read before that deletion, so no page can bring the
     * chunks back.
     */
    @Override
    public synchronized void deleteDocument(UUID tenantId, UUID documentId) {
        try {
            writer.deleteDocuments(Queries.document(tenantId, documentId));
            commitAndRefresh();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Writes the chunks and runs {@code record} with no {@link #replaceDeleted} in between: the index follower's removal
     * of a document for a deletion of its rows that came before (the re-index that emptied it, its failed run) would
     * otherwise take chunks written here that its read of the rows cannot bring back, as they are not committed yet.
     * Ingestions do not wait for each other.
     */
    @Override
    public <T> T upsertThenRecord(List<IndexedChunk> chunks, Supplier<T> record) {
        recording.readLock().lock();
        try {
            upsert(chunks);
            return record.get();
        }
        finally {
            recording.readLock().unlock();
        }
    }

    /**
     * The index follower's replacement of documents whose chunk rows were deleted (a re-index, a failed run, a deletion) by
     * the rows they have now: their chunks are removed and the rows, read a page at a time from {@code pages} until it
     * gives an empty page, are written in their place, all in one commit. A search sees each document as it was until that
     * commit and as its rows are after it, never without its chunks in between: with the removal committed on its own
     * before the rows were read, a search in between missed a re-indexed document that already showed {@code indexed}.
     * <p>
     * It runs while no ingestion has chunks written here and not yet recorded ({@link #upsertThenRecord}): it waits for
     * those to be recorded, so its read of the rows finds them; and nothing else commits or refreshes meanwhile (writes
     * wait, searches read the last commit). If a read fails, what was removed and written so far goes with the next
     * commit, and the follower's next look, which starts from the same position, replaces the documents again.
     *
     * @return how many chunks were written
     */
    int replaceDeleted(List<DocumentKey> documents, Supplier<List<IndexedChunk>> pages) {
        recording.writeLock().lock();
        try {
            synchronized (this) {
                for (DocumentKey document : documents) {
                    writer.deleteDocuments(Queries.document(document.tenantId(), document.documentId()));
                }
                int written = 0;
                for (List<IndexedChunk> page = pages.get(); !page.isEmpty(); page = pages.get()) {
                    write(page);
                    written += page.size();
                }
                commitAndRefresh();
                return written;
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        finally {
            recording.writeLock().unlock();
        }
    }

    /**
     * Serialised with {@link #readAndApply} like {@link #deleteDocument}: a page of the follower read before the re-index's
     * last vectors were recorded (the old model's vectors) and written after this removal would stay without a vector of
     * {@code model} until the follower's next look.
     */
    @Override
    public synchronized void deleteChunksNotEmbeddedBy(String model) {
        try {
            // Chunks written before models were recorded keep their vector in the field "vector", so they go too.
            writer.deleteDocuments(new BooleanQuery.Builder().add(MatchAllDocsQuery.INSTANCE, Occur.MUST)
                    .add(new FieldExistsQuery(ChunkDocuments.vectorField(model)), Occur.MUST_NOT).build());
            commitAndRefresh();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** A replica's Lucene index follows the chunk rows in the database ({@link IndexFollower}). */
    @Override
    public boolean followsDatabase() {
        return true;
    }

    /** A value saved with the last commit ({@link #apply}), e.g. how far the index has followed the database. */
    public Optional<String> committedValue(String key) {
        Iterable<Map.Entry<String, String>> data = writer.getLiveCommitData();
        if (data != null) {
            for (Map.Entry<String, String> entry : data) {
                if (entry.getKey().equals(key)) {
                    return Optional.of(entry.getValue());
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Removes the documents' chunks, then adds or replaces the chunks; with {@code key} set, commits {@code value}
     * under it in the same commit, so the value names exactly what the index holds after a crash.
     */
    public synchronized void apply(List<DocumentKey> deletedDocuments, List<IndexedChunk> chunks, String key, String value) {
        try {
            for (DocumentKey document : deletedDocuments) {
                writer.deleteDocuments(Queries.document(document.tenantId(), document.documentId()));
            }
            write(chunks);
            if (key != null) {
                Map<String, String> data = new HashMap<>();
                Iterable<Map.Entry<String, String>> current = writer.getLiveCommitData();
                if (current != null) {
                    current.forEach(entry -> data.put(entry.getKey(), entry.getValue()));
                }
                data.put(key, value);
                writer.setLiveCommitData(data.entrySet());
            }
            commitAndRefresh();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Reads chunks (the follower's page of chunk rows) and writes those the index does not already hold as they are, with
     * no {@link #deleteDocument} in between. Without this a page read just before a document's rows were deleted could be
     * written just after the document was removed from the index, and its chunks would stay searchable until the next look
     * found the tombstone.
     * <p>
     * A chunk this replica ingested was written by the ingestion before its row was recorded, so the follower finds it
     * already indexed ({@link ChunkDocuments#FINGERPRINT} equal) and leaves it: without that every ingested chunk went
     * into the index twice, its vector into the HNSW graph twice. The check reads the last refreshed searcher, which holds
     * every commit (a write commits and refreshes before it returns, and removals are serialised with this); a write not
     * yet committed is newer than the page's row, so leaving the chunk to it is right too.
     *
     * @return how many chunks were read, and how many of them written
     */
    synchronized Page readAndApply(Supplier<List<IndexedChunk>> read) {
        List<IndexedChunk> chunks = read.get();
        if (chunks.isEmpty()) {
            return new Page(0, 0);
        }
        List<IndexedChunk> changed = notIndexedAsTheyAre(chunks);
        if (!changed.isEmpty()) {
            apply(List.of(), changed, null, null);
        }
        return new Page(chunks.size(), changed.size());
    }

    /** A page the follower read: how many chunks, and how many of them it wrote. */
    record Page(int read, int written) {
    }

    private List<IndexedChunk> notIndexedAsTheyAre(List<IndexedChunk> chunks) {
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                List<IndexedChunk> changed = new ArrayList<>();
                for (IndexedChunk chunk : chunks) {
                    if (!Arrays.equals(indexedFingerprint(searcher.getIndexReader(), chunk.chunkId()), ChunkDocuments.fingerprint(chunk))) {
                        changed.add(chunk);
                    }
                }
                return changed;
            }
            finally {
                searchers.release(searcher);
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** The fingerprint of the chunk's live document, or null (none, or written before fingerprints). */
    private static byte[] indexedFingerprint(IndexReader reader, UUID chunkId) throws IOException {
        BytesRef id = new BytesRef(chunkId.toString());
        for (LeafReaderContext leaf : reader.leaves()) {
            Terms terms = leaf.reader().terms(ChunkDocuments.CHUNK);
            TermsEnum iterator = terms == null ? null : terms.iterator();
            if (iterator == null || !iterator.seekExact(id)) {
                continue;
            }
            Bits live = leaf.reader().getLiveDocs();
            PostingsEnum postings = iterator.postings(null, PostingsEnum.NONE);
            for (int doc = postings.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = postings.nextDoc()) {
                if (live == null || live.get(doc)) {
                    BinaryDocValues fingerprints = leaf.reader().getBinaryDocValues(ChunkDocuments.FINGERPRINT);
                    if (fingerprints == null || !fingerprints.advanceExact(doc)) {
                        return null;
                    }
                    BytesRef value = fingerprints.binaryValue();
                    return Arrays.copyOfRange(value.bytes, value.offset, value.offset + value.length);
                }
            }
        }
        return null;
    }

    /** Removes every chunk (the index is about to be filled again from the database). */
    public void clear() {
        try {
            writer.deleteAll();
            commitAndRefresh();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** A document of a tenant. */
    public record DocumentKey(UUID tenantId, UUID documentId) {
    }

    private void commitAndRefresh() throws IOException {
        writer.commit();
        searchers.maybeRefreshBlocking();
        if (idleMerge != null) {
            idleMerge.written();
        }
    }

    /** The cache of filters, for tests. */
    LRUQueryCache filters() {
        return filters;
    }

    /** The names of the index's segments (as the current searcher sees them). */
    Set<String> segmentNames() {
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                Set<String> names = new HashSet<>();
                for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
                    names.add(((SegmentReader) leaf.reader()).getSegmentName());
                }
                return names;
            }
            finally {
                searchers.release(searcher);
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** How many segments the index has (as the current searcher sees it). */
    int segments() {
        return segmentNames().size();
    }

    /**
     * Merges the segments into one when worth it ({@link IdleMerge#worthMerging}), then commits and refreshes like a write
     * (not during a {@link #replaceDeleted}, whose changes go in one commit). The merge runs on Lucene's merge thread while
     * this waits; writes and searches go on, searches on the segments as they were until the refresh. What the index does
     * once idle; public for evaluations that search the index as it is served.
     */
    public void mergeSegments() {
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                if (!IdleMerge.worthMerging(searcher.getIndexReader().leaves())) {
                    return;
                }
            }
            finally {
                searchers.release(searcher);
            }
            writer.forceMerge(1);
            recording.readLock().lock();
            try {
                synchronized (this) {
                    writer.commit();
                    searchers.maybeRefreshBlocking();
                }
            }
            finally {
                recording.readLock().unlock();
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    @Override
    public List<ChunkHit> lexical(UUID tenantId, Set<UUID> knowledgeBaseIds, String query, int limit) {
        if (knowledgeBaseIds.isEmpty() || limit <= 0) {
            return List.of();
        }
        Map<String, Integer> terms = Queries.terms(analyzer, query);
        return terms.isEmpty() ? List.of() : search(reader -> Queries.lexical(terms, Queries.scope(reader, tenantId, knowledgeBaseIds)),
                limit, false);
    }

    /** Hits scored by cosine similarity (-1..1; in practice 0.3..1 for bge-small). */
    @Override
    public List<ChunkHit> dense(UUID tenantId, Set<UUID> knowledgeBaseIds, String model, float[] queryVector, int limit) {
        if (knowledgeBaseIds.isEmpty() || limit <= 0) {
            return List.of();
        }
        float[] unit = Vectors.unitLength(queryVector);
        return search(reader -> new KnnFloatVectorQuery(ChunkDocuments.vectorField(model), unit, limit, Queries.scope(reader, tenantId,
                knowledgeBaseIds)), limit, true);
    }

    @Override
    public boolean isEmpty() {
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                return searcher.getIndexReader().numDocs() == 0;
            }
            finally {
                searchers.release(searcher);
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    @Override
    public int countDocumentChunks(UUID tenantId, UUID documentId) {
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                return searcher.count(Queries.document(tenantId, documentId));
            }
            finally {
                searchers.release(searcher);
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** A query made for the searcher's reader ({@link Queries#scope(IndexReader, UUID, Set)}). */
    private interface ReaderQuery {
        Query on(IndexReader reader) throws IOException;
    }

    private List<ChunkHit> search(ReaderQuery query, int limit, boolean dotProductScores) {
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                return hits(searcher, searcher.search(query.on(searcher.getIndexReader()), limit), dotProductScores);
            }
            finally {
                searchers.release(searcher);
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static List<ChunkHit> hits(IndexSearcher searcher, TopDocs top, boolean dotProductScores) throws IOException {
        List<ChunkHit> hits = new ArrayList<>(top.scoreDocs.length);
        StoredFields stored = searcher.storedFields();
        for (ScoreDoc hit : top.scoreDocs) {
            // Lucene scores a dot product as (1 + dot) / 2; the cosine is what callers can reason about.
            double score = dotProductScores ? 2.0 * hit.score - 1.0 : hit.score;
            hits.add(ChunkDocuments.toHit(stored.document(hit.doc), score));
        }
        return hits;
    }

    /**
     * Both searches on one searcher, and the query's terms each candidate contains, read from the postings of the text
     * field (a few term look-ups per segment instead of analysing every candidate's text again). The candidates are bare
     * (ids from doc values, no stored fields read) where their terms were read and every one has its id in doc values;
     * {@link Candidates#complete} reads the stored fields of the hits kept.
     */
    @Override
    public Candidates candidates(UUID tenantId, Set<UUID> knowledgeBaseIds, String model, float[] queryVector, String query, int limit) {
        if (knowledgeBaseIds.isEmpty() || limit <= 0) {
            return new Candidates(List.of(), List.of(), QueryTerms.NONE);
        }
        Map<String, Integer> terms = Queries.terms(analyzer, query);
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                Query scope = Queries.scope(searcher.getIndexReader(), tenantId, knowledgeBaseIds);
                Query lexical = Queries.lexical(terms, scope);
                TopDocs dense = searcher.search(new KnnFloatVectorQuery(ChunkDocuments.vectorField(model), Vectors.unitLength(queryVector),
                        limit, scope), limit);
                TopDocs lexicalTop = lexical == null ? new TopDocs(dense.totalHits, new ScoreDoc[0]) : searcher.search(lexical, limit);
                // A query cut at MAX_TERMS has terms the index was not asked about: then the caller reads the texts.
                if (terms.size() >= Queries.MAX_TERMS) {
                    return new Candidates(hits(searcher, dense, true), hits(searcher, lexicalTop, false), QueryTerms.NONE);
                }
                Map<Integer, UUID> keys = ChunkKeys.read(searcher, dense, lexicalTop);
                if (keys != null) {
                    return new Candidates(bare(dense, keys, true), bare(lexicalTop, keys, false), new QueryTerms(analysis,
                            QueryTermPostings.read(searcher, terms.keySet(), keys)), this::complete);
                }
                List<ChunkHit> denseHits = hits(searcher, dense, true);
                List<ChunkHit> lexicalHits = hits(searcher, lexicalTop, false);
                Map<Integer, UUID> read = new HashMap<>();
                for (int i = 0; i < denseHits.size(); i++) {
                    read.put(dense.scoreDocs[i].doc, denseHits.get(i).chunkId());
                }
                for (int i = 0; i < lexicalHits.size(); i++) {
                    read.put(lexicalTop.scoreDocs[i].doc, lexicalHits.get(i).chunkId());
                }
                return new Candidates(denseHits, lexicalHits, new QueryTerms(analysis, QueryTermPostings.read(searcher, terms.keySet(),
                        read)));
            }
            finally {
                searchers.release(searcher);
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static List<ChunkHit> bare(TopDocs top, Map<Integer, UUID> keys, boolean dotProductScores) {
        List<ChunkHit> hits = new ArrayList<>(top.scoreDocs.length);
        for (ScoreDoc hit : top.scoreDocs) {
            hits.add(ChunkHit.bare(keys.get(hit.doc), dotProductScores ? 2.0 * hit.score - 1.0 : hit.score));
        }
        return hits;
    }

    /** The hits read in full from the current searcher, scores kept; chunks no longer in the index are left out. */
    private List<ChunkHit> complete(List<ChunkHit> hits) {
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                StoredFields stored = searcher.storedFields();
                List<ChunkHit> complete = new ArrayList<>(hits.size());
                for (ChunkHit hit : hits) {
                    ScoreDoc[] found = searcher.search(new TermQuery(new Term(ChunkDocuments.CHUNK, hit.chunkId().toString())),
                            1).scoreDocs;
                    if (found.length == 1) {
                        complete.add(ChunkDocuments.toHit(stored.document(found[0].doc), hit.score()));
                    }
                }
                return complete;
            }
            finally {
                searchers.release(searcher);
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Commits what was written and releases the directory; the index cannot be used afterwards. A merge still running (an
     * idle merge of 100,000 chunks takes a minute or more) is abandoned, not waited for, so that a shutdown is not held
     * up by it: every write has committed before it returned, so after a last commit the writer is rolled back, which
     * aborts the merge; its partial files are removed when the index is next opened.
     */
    @Override
    public void close() throws IOException {
        if (idleMerge != null) {
            idleMerge.close();
        }
        recording.writeLock().lock(); // no write in progress (the lock before the monitor, as in replaceDeleted)
        try {
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
                try {
                    writer.commit();
                }
                finally {
                    IOUtils.close(searchers, writer::rollback, directory);
                }
            }
        }
        finally {
            recording.writeLock().unlock();
        }
    }
}
