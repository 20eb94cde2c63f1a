/**
 * Provider clients (Spring AI), routing chains with timeouts, retries and circuit breakers, failover,
 * token accounting, provider health, and the local extractive responder that answers when no model is
 * configured or every target failed.
 *
 * <p>API: {@link dev.switchboard.llm.LlmRouter} answers an {@link dev.switchboard.llm.LlmRequest} through a
 * {@link dev.switchboard.llm.Chain} of {@link dev.switchboard.llm.Target}s with an
 * {@link dev.switchboard.llm.LlmResult} (or {@link dev.switchboard.llm.LlmUnavailableException}); a request may
 * offer {@link dev.switchboard.llm.LlmTool}s and a result carry the model's {@link dev.switchboard.llm.ToolCall}s,
 * which the caller runs (the router never does). The {@link dev.switchboard.llm.Tool} SPI is how modules contribute
 * the tools personas run (as beans, or through a {@link dev.switchboard.llm.ToolSource} when the set changes at run
 * time), found by name in the {@link dev.switchboard.llm.ToolCatalog}. Model calls it makes itself (the providers test)
 * are metered through {@link dev.switchboard.llm.ModelCallQuota}, which {@code metering} implements. It publishes
 * {@link dev.switchboard.llm.TokensUsed} after every model call and {@link dev.switchboard.llm.ProviderChanged}
 * when an administrator changes a runtime provider. Embeddings are a capability of a provider kind:
 * {@link dev.switchboard.llm.EmbeddingClients} gives the kind's embedding client (used by {@code knowledge}), and
 * chat and embedding calls retry under the one {@link dev.switchboard.llm.RetryPolicy}. See {@code docs/llm.md}.
 */
@org.springframework.modulith.ApplicationModule(displayName = "LLM routing", allowedDependencies = {"shared", "tenancy"})
package dev.switchboard.llm;
