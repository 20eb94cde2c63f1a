/**
 * Running Switchboard in production: liveness and readiness ({@code /health}, {@code /health/live},
 * {@code /health/ready}), the Prometheus endpoint ({@code /metrics}) and who may read it, the background jobs'
 * backlog gauges, the audit log, and the retention job that purges what every module keeps only for a while
 * ({@code switchboard.retention.*}, through the modules' {@link dev.switchboard.shared.RetentionTask}s), the job that
 * re-seals stored secrets under the current encryption key after a rotation (through the modules' {@link
 * dev.switchboard.shared.SealedSecrets}), and the
 * {@code doctor} command ({@link dev.switchboard.ops.DeploymentDoctor}), which checks a live deployment from outside.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Operations", allowedDependencies = {"shared", "tenancy", "identity", "llm"})
package dev.switchboard.ops;
