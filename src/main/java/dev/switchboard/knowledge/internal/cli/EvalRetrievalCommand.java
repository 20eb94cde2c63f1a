package dev.switchboard.knowledge.internal.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.switchboard.knowledge.KnowledgeBase;
import dev.switchboard.knowledge.KnowledgeSearch;
import dev.switchboard.knowledge.SearchHit;
import dev.switchboard.knowledge.internal.Documents;
import dev.switchboard.knowledge.internal.KnowledgeBases;
import dev.switchboard.knowledge.internal.embedding.Embedder;
import dev.switchboard.knowledge.internal.index.ChunkHit;
import dev.switchboard.knowledge.internal.index.ChunkIndex;
import dev.switchboard.knowledge.internal.retrieval.RetrievalEvaluation;
import dev.switchboard.tenancy.TenantContext;
import dev.switchboard.tenancy.TenantManagement;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code eval-retrieval}: ingests a BEIR-format corpus through the real pipeline (upload, parse, chunk,
 * embed, index — the same jobs as any upload) into a fresh knowledge base of a fresh tenant, runs every query
 * through the real hybrid retrieval, and prints nDCG@10 and Recall@100, ending with {@code nDCG@10=<value>}. With
 * {@code switchboard.eval.baselines=true} ({@code --baselines}) it first prints the same figures for BM25 alone and
 * dense search alone over the same index, so the hybrid figure has its baselines from the same run.
 */
@Component
@ConditionalOnProperty("switchboard.eval.corpus")
class EvalRetrievalCommand implements ApplicationRunner {

    private final Environment environment;
    private final TenantManagement tenants;
    private final KnowledgeBases bases;
    private final Documents documents;
    private final KnowledgeSearch search;
    private final ChunkIndex index;
    private final Embedder embedder;
    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final JsonMapper json = JsonMapper.builder().build();
    private final PrintStream out = System.out;

    EvalRetrievalCommand(Environment environment, TenantManagement tenants, KnowledgeBases bases, Documents documents,
            KnowledgeSearch search, ChunkIndex index, Embedder embedder, JdbcClient jdbc,
            PlatformTransactionManager transactionManager) {
        this.environment = environment;
        this.tenants = tenants;
        this.bases = bases;
        this.documents = documents;
        this.search = search;
        this.index = index;
        this.embedder = embedder;
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactionManager);
    }

    @Override
    public void run(ApplicationArguments arguments) throws Exception {
        Path corpus = Path.of(environment.getRequiredProperty("switchboard.eval.corpus"));
        Path queries = Path.of(environment.getRequiredProperty("switchboard.eval.queries"));
        Path qrelsFile = Path.of(environment.getRequiredProperty("switchboard.eval.qrels"));
        Map<String, Map<String, Integer>> qrels = RetrievalEvaluation.parseQrels(Files.readAllLines(qrelsFile));
        UUID tenant = UUID.randomUUID();
        TenantContext.runAs(tenant, () -> transactions.executeWithoutResult(status -> tenants.create(tenant, "eval-" + tenant.toString()
                .substring(0, 8), "Retrieval evaluation")));
        try (TenantContext.Scope scope = TenantContext.open(tenant)) {
            KnowledgeBase base = bases.create("Evaluation " + Instant.now(), "eval-retrieval " + corpus.getFileName());
            Instant started = Instant.now();
            Map<UUID, String> corpusIds = ingest(corpus, base.id());
            int chunks = awaitIndexed(base.id(), corpusIds.size());
            Duration ingestion = Duration.between(started, Instant.now());
            out.printf("ingested %d documents (%d chunks) in %.1f s: %.1f chunks/s%n", corpusIds.size(), chunks,
                    ingestion.toMillis() / 1000.0, chunks * 1000.0 / Math.max(1, ingestion.toMillis()));
            Map<String, String> claims = judgedQueries(queries, qrels);
            if (environment.getProperty("switchboard.eval.baselines", Boolean.class, false)) {
                Set<UUID> inBase = Set.of(base.id());
                print("BM25 alone", evaluate(claims, qrels, corpusIds, text -> documents(index.lexical(tenant, inBase, text, 100))));
                print("dense alone", evaluate(claims, qrels, corpusIds,
                        text -> documents(index.dense(tenant, inBase, embedder.modelId(), embedder.embedQuery(text), 100))));
            }
            Instant searching = Instant.now();
            RetrievalEvaluation.Summary summary = evaluate(claims, qrels, corpusIds, text -> search.search(Set.of(base.id()), text, 100)
                    .hits().stream().map(SearchHit::documentId).toList());
            out.printf("searched %d queries in %.1f s%n", summary.queries(), Duration.between(searching, Instant.now()).toMillis()
                    / 1000.0);
            out.printf("queries=%d%nRecall@100=%.4f%nnDCG@10=%.4f%n", summary.queries(), summary.recallAt100(), summary.ndcgAt10());
        }
    }

    /** The judged queries: id → text. */
    private Map<String, String> judgedQueries(Path queries, Map<String, Map<String, Integer>> qrels) throws IOException {
        Map<String, String> claims = new LinkedHashMap<>();
        for (String line : Files.readAllLines(queries)) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode query = json.readTree(line);
            String id = query.path("_id").asString();
            if (qrels.containsKey(id)) {
                claims.put(id, query.path("text").asString());
            }
        }
        return claims;
    }

    /** Runs every query through a search that returns the document id of each chunk it found, best first, and scores it. */
    private static RetrievalEvaluation.Summary evaluate(Map<String, String> claims, Map<String, Map<String, Integer>> qrels,
            Map<UUID, String> corpusIds, Function<String, List<UUID>> searchDocuments) {
        Map<String, List<String>> rankings = new LinkedHashMap<>();
        claims.forEach((id, text) -> {
            List<String> chunkDocuments = new ArrayList<>();
            for (UUID document : searchDocuments.apply(text)) {
                chunkDocuments.add(corpusIds.get(document));
            }
            rankings.put(id, RetrievalEvaluation.documentRanking(chunkDocuments));
        });
        return RetrievalEvaluation.evaluate(rankings, qrels);
    }

    private static List<UUID> documents(List<ChunkHit> hits) {
        return hits.stream().map(ChunkHit::documentId).toList();
    }

    private void print(String label, RetrievalEvaluation.Summary summary) {
        out.printf("%s: queries=%d Recall@100=%.4f nDCG@10=%.4f%n", label, summary.queries(), summary.recallAt100(), summary.ndcgAt10());
    }

    /** Uploads each corpus entry as a Markdown document (title as heading); returns document id → corpus id. */
    private Map<UUID, String> ingest(Path corpus, UUID knowledgeBase) throws IOException {
        Map<UUID, String> ids = new HashMap<>();
        for (String line : Files.readAllLines(corpus)) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode entry = json.readTree(line);
            String id = entry.path("_id").asString();
            String title = entry.path("title").asString("");
            String markdown = (title.isBlank() ? "" : "# " + title + "\n\n") + entry.path("text").asString("");
            Documents.Upload upload = documents.upload(knowledgeBase, id + ".md",
                    new ByteArrayInputStream(markdown.getBytes(StandardCharsets.UTF_8)));
            ids.put(upload.document().id(), id);
        }
        return ids;
    }

    private int awaitIndexed(UUID knowledgeBase, int expected) throws InterruptedException {
        long lastReport = 0;
        while (true) {
            Map<String, Object> counts = transactions.execute(status -> jdbc.sql("select count(*) filter (where status in "
                    + "('indexed', 'failed')) as done, count(*) filter (where status = 'failed') as failed, "
                    + "coalesce(sum(chunks_done), 0) as chunks from knowledge_documents where knowledge_base_id = :kb")
                    .param("kb", knowledgeBase).query().singleRow());
            long done = ((Number) counts.get("done")).longValue();
            if (done >= expected) {
                long failed = ((Number) counts.get("failed")).longValue();
                if (failed > 0) {
                    out.printf("warning: %d documents failed ingestion%n", failed);
                }
                return ((Number) counts.get("chunks")).intValue();
            }
            if (System.nanoTime() - lastReport > 30_000_000_000L) {
                out.printf("ingesting: %d of %d documents done%n", done, expected);
                lastReport = System.nanoTime();
            }
            Thread.sleep(500);
        }
    }
}
