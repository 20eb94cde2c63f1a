package dev.switchboard.knowledge.internal;

import java.io.IOException;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.util.unit.DataSize;

import dev.switchboard.knowledge.internal.chunking.Chunker;
import dev.switchboard.knowledge.internal.chunking.ChunkingPolicy;
import dev.switchboard.knowledge.internal.chunking.WordPieceTokenCounter;
import dev.switchboard.knowledge.internal.embedding.BgeSmallEmbedder;
import dev.switchboard.knowledge.internal.embedding.Embedder;
import dev.switchboard.knowledge.internal.embedding.EmbeddingProvider;
import dev.switchboard.knowledge.internal.embedding.EmbeddingSettings;
import dev.switchboard.knowledge.internal.embedding.RemoteEmbedder;
import dev.switchboard.knowledge.internal.index.ChunkIndex;
import dev.switchboard.knowledge.internal.index.LuceneChunkIndex;
import dev.switchboard.knowledge.internal.ingestion.Chunking;
import dev.switchboard.knowledge.internal.retrieval.HybridRetriever;
import dev.switchboard.shared.BodyLimit;
import dev.switchboard.shared.DataDirectory;

/**
 * The retrieval engine's parts, one of each per application: the in-process embedding model (expensive to
 * load), the index, the chunker and the hybrid retriever; and the upload body limit.
 */
@Configuration(proxyBeanMethods = false)
class KnowledgeConfiguration {

    private static final Logger log = LoggerFactory.getLogger(KnowledgeConfiguration.class);

    /**
     * The configured embedding model: the local one (loaded on first use) by default, else a remote provider's.
     * Closed with the context (the local model's session, the remote client's connections).
     */
    @Bean(destroyMethod = "close")
    Embedder embedder(KnowledgeProperties properties) {
        EmbeddingSettings settings = properties.embedding();
        if (settings.provider() == EmbeddingProvider.LOCAL) {
            return new LazyEmbedder(BgeSmallEmbedder::new);
        }
        RemoteEmbedder remote = RemoteEmbedder.create(settings);
        log.info("Embeddings from {} (model {}, recorded as {})", settings.provider().id(), settings.model(), remote.modelId());
        return remote;
    }

    @Bean(destroyMethod = "close")
    LuceneChunkIndex chunkIndex(KnowledgeProperties properties, DataDirectory dataDirectory, DataSource dataSource)
            throws IOException {
        if (properties.index() == KnowledgeProperties.IndexKind.PGVECTOR) {
            throw new IllegalStateException("switchboard.knowledge.index=pgvector is not available in this version: the "
                    + "pgvector index is not built yet. Use lucene (or auto).");
        }
        if (properties.index() == KnowledgeProperties.IndexKind.AUTO && vectorExtensionAvailable(dataSource)) {
            log.info("The vector extension is available, but this version indexes with Lucene only (under {}); "
                    + "with several replicas each keeps its own index.", dataDirectory.root());
        }
        return new LuceneChunkIndex(dataDirectory.directory("index/lucene"));
    }

    @Bean
    Chunking chunking() {
        Chunker chunker = new Chunker(ChunkingPolicy.DEFAULT, new WordPieceTokenCounter());
        return chunker::chunk;
    }

    @Bean
    HybridRetriever hybridRetriever(ChunkIndex index, Embedder embedder) {
        return new HybridRetriever(index, embedder);
    }

    @Bean
    BodyLimit documentUploadLimit(KnowledgeProperties properties) {
        // The file plus the multipart framing around it.
        return new BodyLimit("/api/documents", DataSize.ofBytes(
                properties.maxUpload().toBytes() + 64 * 1024));
    }

    private static boolean vectorExtensionAvailable(DataSource dataSource) {
        try {
            return Boolean.TRUE.equals(new JdbcTemplate(dataSource).queryForObject(
                    "select exists (select 1 from pg_available_extensions where name = 'vector')", Boolean.class));
        }
        catch (RuntimeException ex) {
            return false;
        }
    }
}
