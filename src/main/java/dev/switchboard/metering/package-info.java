/**
 * Rate limits (global, per endpoint, per key tier), token quotas reserved before and settled after each
 * model call, usage records and 429 answers; in-process without Redis, exact across replicas with it.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Metering", allowedDependencies = {"shared", "identity", "tenancy"})
package dev.switchboard.metering;
