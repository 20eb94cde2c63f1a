package dev.switchboard.tenancy;

import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The tenant the current thread works for. Every transaction copies it into the PostgreSQL setting
 * {@code switchboard.tenant_id}, on which row-level security filters; with no tenant, tenant-owned tables
 * show no rows at all. The security filter chain sets it for each authenticated request.
 */
public final class TenantContext {

    private static final ThreadLocal<UUID> CURRENT = new ThreadLocal<>();

    private TenantContext() {
    }

    /** The current tenant, if any. */
    public static Optional<UUID> current() {
        return Optional.ofNullable(CURRENT.get());
    }

    /** The current tenant, or an exception when code that needs one runs without one. */
    public static UUID require() {
        UUID tenant = CURRENT.get();
        if (tenant == null) {
            throw new IllegalStateException("No tenant in context");
        }
        return tenant;
    }

    /** Runs {@code work} as {@code tenant}, restoring the previous tenant afterwards. */
    public static <T> T callAs(UUID tenant, Supplier<T> work) {
        try (Scope ignored = open(tenant)) {
            return work.get();
        }
    }

    /** Runs {@code work} as {@code tenant}, restoring the previous tenant afterwards. */
    public static void runAs(UUID tenant, Runnable work) {
        try (Scope ignored = open(tenant)) {
            work.run();
        }
    }

    /** Makes {@code tenant} current until the returned scope is closed. */
    public static Scope open(UUID tenant) {
        UUID previous = CURRENT.get();
        CURRENT.set(tenant);
        return () -> {
            if (previous == null) {
                CURRENT.remove();
            }
            else {
                CURRENT.set(previous);
            }
        };
    }

    /** Restores the previous tenant when closed. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {

        @Override
        void close();
    }
}
