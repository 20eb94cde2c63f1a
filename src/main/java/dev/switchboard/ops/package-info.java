/**
 * Running Switchboard in production: liveness and readiness ({@code /health}, {@code /health/live},
 * {@code /health/ready}), the Prometheus endpoint ({@code /metrics}) and who may read it, and later the
 * {@code doctor} deployment verifier and the audit log.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Operations", allowedDependencies = {"shared", "tenancy", "identity", "llm"})
package dev.switchboard.ops;
