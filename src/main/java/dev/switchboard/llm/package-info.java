/**
 * Provider clients (Spring AI), routing chains with timeouts, retries and circuit breakers, failover,
 * token accounting, provider health, and the local extractive responder that answers when no model is
 * configured or every target failed.
 *
 * <p>API so far: {@link dev.switchboard.llm.Target}, {@link dev.switchboard.llm.Chain} and
 * {@link dev.switchboard.llm.Passage}; the router arrives with the rest of the LLM stage.
 */
@org.springframework.modulith.ApplicationModule(displayName = "LLM routing", allowedDependencies = {"shared", "tenancy"})
package dev.switchboard.llm;
