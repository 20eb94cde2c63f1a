/**
 * Knowledge bases, documents, background ingestion (parse, chunk, embed, index), hybrid retrieval, the
 * {@code search_knowledge} tool, and the citations that point answers back at exact chunks. Everything a replica needs is in
 * the database — originals, chunks and their vectors — so any number of replicas serve it: each replica's Lucene index
 * follows the chunk rows ({@code internal/index/IndexFollower}), or the pgvector index is the database itself.
 *
 * <p>API: {@link dev.switchboard.knowledge.KnowledgeSearch} (hybrid search returning
 * {@link dev.switchboard.knowledge.SearchHit}s), {@link dev.switchboard.knowledge.KnowledgeBase} and
 * {@link dev.switchboard.knowledge.KnowledgeDocument}. See {@code docs/knowledge.md}.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Knowledge", allowedDependencies = {"shared", "tenancy", "llm"})
package dev.switchboard.knowledge;
