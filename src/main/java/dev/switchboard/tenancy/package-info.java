/**
 * Tenants and the current-tenant context: the per-transaction PostgreSQL setting that row-level security
 * filters on, and plans/tiers. Every tenant-owned row carries {@code tenant_id}.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Tenancy", allowedDependencies = {"shared"})
package dev.switchboard.tenancy;
