/**
 * Provider clients (Spring AI), routing chains with timeouts, retries and circuit breakers, failover,
 * token accounting, provider health, and the local extractive responder that answers when no model is
 * configured or every target failed.
 */
@org.springframework.modulith.ApplicationModule(displayName = "LLM routing", allowedDependencies = {"shared", "tenancy"})
package dev.switchboard.llm;
