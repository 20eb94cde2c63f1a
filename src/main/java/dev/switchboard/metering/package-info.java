/**
 * Rate limits (global, per user and per key by tier, per address, sign-in per address and account), token quotas (per user and per key) reserved
 * before and settled after each model call, usage records and 429 answers; in-process without Redis, exact across
 * replicas with it. A decision on several buckets (a key's and its user's) takes from all or from none.
 *
 * <p>API: {@link dev.switchboard.metering.RateLimiter} with {@link dev.switchboard.metering.Limit} and
 * {@link dev.switchboard.metering.RateDecision}. The HTTP limits are applied by a servlet filter after
 * authentication; sign-in throttling plugs into identity's {@code LoginThrottle}.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Metering", allowedDependencies = {"shared", "identity", "tenancy", "llm"})
package dev.switchboard.metering;
