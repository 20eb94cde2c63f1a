package dev.switchboard.knowledge.internal;

import java.io.IOException;
import java.nio.file.Path;

import javax.sql.DataSource;

import jakarta.servlet.MultipartConfigElement;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.util.unit.DataSize;

import dev.switchboard.knowledge.internal.chunking.Chunker;
import dev.switchboard.knowledge.internal.chunking.ChunkingPolicy;
import dev.switchboard.knowledge.internal.chunking.WordPieceTokenCounter;
import dev.switchboard.knowledge.internal.embedding.BgeSmallEmbedder;
import dev.switchboard.knowledge.internal.embedding.Embedder;
import dev.switchboard.knowledge.internal.embedding.EmbeddingProvider;
import dev.switchboard.knowledge.internal.embedding.EmbeddingSentenceSimilarity;
import dev.switchboard.knowledge.internal.embedding.EmbeddingSettings;
import dev.switchboard.knowledge.internal.embedding.RemoteEmbedder;
import dev.switchboard.knowledge.internal.index.ChunkIndex;
import dev.switchboard.knowledge.internal.index.IndexFollower;
import dev.switchboard.knowledge.internal.index.LuceneChunkIndex;
import dev.switchboard.knowledge.internal.index.LuceneIndexSettings;
import dev.switchboard.knowledge.internal.index.PgVectorChunkIndex;
import dev.switchboard.knowledge.internal.index.PgVectorSchema;
import dev.switchboard.knowledge.internal.ingestion.Chunking;
import dev.switchboard.knowledge.internal.originals.OriginalStore;
import dev.switchboard.knowledge.internal.originals.PostgresOriginalStore;
import dev.switchboard.knowledge.internal.retrieval.FusionSettings;
import dev.switchboard.knowledge.internal.retrieval.HybridRetriever;
import dev.switchboard.llm.EmbeddingClients;
import dev.switchboard.llm.SentenceSimilarity;
import dev.switchboard.shared.BodyLimit;
import dev.switchboard.shared.DataDirectory;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The retrieval engine's parts, one of each per application: the in-process embedding model (expensive to
 * load), the index, the chunker and the hybrid retriever; and the upload limits.
 */
@Configuration(proxyBeanMethods = false)
class KnowledgeConfiguration {

    private static final Logger log = LoggerFactory.getLogger(KnowledgeConfiguration.class);

    /**
     * The configured embedding model: the local one (loaded on first use) by default, else a remote provider's.
     * Closed with the context (the local model's session, the remote client's connections).
     */
    @Bean(destroyMethod = "close")
    Embedder embedder(KnowledgeProperties properties, EmbeddingClients embeddings) {
        EmbeddingSettings settings = properties.embedding();
        if (settings.provider() == EmbeddingProvider.LOCAL) {
            return new LazyEmbedder(BgeSmallEmbedder::new);
        }
        RemoteEmbedder remote = RemoteEmbedder.create(settings, embeddings);
        log.info("Embeddings from {} (model {}, recorded as {})", settings.provider().id(), settings.model(), remote.modelId());
        return remote;
    }

    /** Creates the pgvector index's table after the migrations where the extension is (or can be) installed. */
    @Bean
    PgVectorSchema pgVectorSchema(KnowledgeProperties properties) {
        return new PgVectorSchema(properties.index() != KnowledgeProperties.IndexKind.LUCENE);
    }

    /**
     * The index: pgvector when chosen (the extension required) or, with {@code auto}, when the database has it;
     * Lucene otherwise. Closed (Lucene commits) when the context stops.
     */
    @Bean
    @DependsOnDatabaseInitialization
    ChunkIndex chunkIndex(KnowledgeProperties properties, DataDirectory dataDirectory, DataSource dataSource,
            PlatformTransactionManager transactionManager) throws IOException {
        IndexChoice choice = IndexChoice.of(properties.index(), new JdbcTemplate(dataSource));
        if (choice.pgvector()) {
            log.info("Knowledge index: pgvector and PostgreSQL full text in the database ({}), shared by every replica", choice.reason());
            return new PgVectorChunkIndex(dataSource, transactionManager);
        }
        Path directory = dataDirectory.directory("index/lucene");
        log.info("Knowledge index: Lucene under {} ({}), following the chunks and vectors in the database",
                directory, choice.reason());
        return new LuceneChunkIndex(directory, LuceneIndexSettings.DEFAULT, properties.indexIdleMerge());
    }

    /** Where originals are kept: the application's database, which every replica reads. */
    @Bean
    OriginalStore originalStore(JdbcClient jdbc, PlatformTransactionManager transactionManager) {
        return new PostgresOriginalStore(jdbc, transactionManager);
    }

    /**
     * With Lucene, the replica's index follows the chunk rows (what any replica ingested, re-indexed or deleted); the
     * pgvector index is one for every replica and needs none.
     */
    @Bean
    IndexFollower indexFollower(ChunkIndex index, JdbcClient jdbc, PlatformTransactionManager transactionManager,
            KnowledgeProperties properties, MeterRegistry meters) {
        if (index instanceof LuceneChunkIndex lucene) {
            return new IndexFollower(lucene, jdbc, transactionManager, properties.indexFollowInterval()).measuredBy(meters);
        }
        return null;
    }

    @Bean
    Chunking chunking() {
        Chunker chunker = new Chunker(ChunkingPolicy.DEFAULT, new WordPieceTokenCounter());
        return chunker::chunk;
    }

    /**
     * The single cosine cut-off was replaced by the relevance decision (issue 13): a deployment still setting it
     * would silently get the new decision with its own scale, so the start fails and says what to do.
     */
    static void refuseRetiredRelevanceThreshold(Environment environment) {
        if (environment.containsProperty("switchboard.knowledge.relevance-threshold")) {
            throw new IllegalStateException("switchboard.knowledge.relevance-threshold (SWITCHBOARD_KNOWLEDGE_RELEVANCE_THRESHOLD) is no "
                    + "longer read: the relevance decision replaced it (switchboard.knowledge.relevance.*: threshold, distinctiveness-weight, "
                    + "reference-rank, background-similarity, lexical-weight, sufficient-similarity), and its threshold is not a cosine. "
                    + "Remove the setting; to recalibrate, see docs/knowledge.md, \"The relevance decision\".");
        }
    }

    /** What the local extractive responder ranks sentences by, besides shared words. */
    @Bean
    SentenceSimilarity sentenceSimilarity(Embedder embedder) {
        return new EmbeddingSentenceSimilarity(embedder);
    }

    @Bean
    HybridRetriever hybridRetriever(ChunkIndex index, Embedder embedder, KnowledgeProperties properties, Environment environment) {
        refuseRetiredRelevanceThreshold(environment);
        return new HybridRetriever(index, embedder, FusionSettings.DEFAULT, properties.relevance(), properties.queryEmbeddingCache());
    }

    /** Room for the multipart framing (boundaries, part headers, the form's other small fields) around the file. */
    static final long MULTIPART_FRAMING = 64 * 1024;

    @Bean
    BodyLimit documentUploadLimit(KnowledgeProperties properties) {
        return new BodyLimit("/api/documents", DataSize.ofBytes(properties.maxUpload().toBytes() + MULTIPART_FRAMING));
    }

    /**
     * Multipart limits derived from {@code max-upload} instead of set apart: a file part at most {@code max-upload},
     * and the whole body — every part, counted as it arrives, so also when it is sent chunked without a length — at
     * most {@code max-upload} plus the framing. Location and in-memory threshold stay {@code spring.servlet.multipart.*}.
     */
    @Bean
    MultipartConfigElement multipartConfigElement(KnowledgeProperties properties,
            @Value("${spring.servlet.multipart.location:}") String location,
            @Value("${spring.servlet.multipart.file-size-threshold:1MB}") DataSize threshold) {
        long max = properties.maxUpload().toBytes();
        return new MultipartConfigElement(location, max, max + MULTIPART_FRAMING, (int) Math.min(threshold.toBytes(), Integer.MAX_VALUE));
    }
}
