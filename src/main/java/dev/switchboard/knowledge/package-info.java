/**
 * Knowledge bases, documents, background ingestion (parse, chunk, embed, index), hybrid retrieval and the
 * citations that point answers back at exact chunks.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Knowledge", allowedDependencies = {"shared", "tenancy", "llm"})
package dev.switchboard.knowledge;
