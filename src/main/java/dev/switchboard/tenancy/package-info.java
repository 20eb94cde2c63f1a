/**
 * Tenants and the current-tenant context: the per-transaction PostgreSQL setting that row-level security
 * filters on, and plans/tiers. Every tenant-owned row carries {@code tenant_id}.
 *
 * <p>API: {@link dev.switchboard.tenancy.TenantContext} (whose tenant the current thread works for) and
 * {@link dev.switchboard.tenancy.TenantManagement}. Every transaction carries the current tenant into
 * PostgreSQL ({@code switchboard.tenant_id}); row-level security does the filtering.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Tenancy", allowedDependencies = {"shared"})
package dev.switchboard.tenancy;
