package dev.switchboard.tenancy;

import java.util.Optional;
import java.util.UUID;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import dev.switchboard.shared.SwitchboardException;

/** Creating and reading tenants. Creation happens inside the new tenant's own context (row-level security). */
@Service
public class TenantManagement {

    private final JdbcClient jdbc;

    TenantManagement(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A tenant as its members see it. */
    public record Tenant(UUID id, String slug, String name) {
    }

    /**
     * Creates a tenant. Must run in a transaction whose tenant context is {@code id}; the caller then adds its
     * first users in the same transaction.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public Tenant create(UUID id, String slug, String name) {
        if (!TenantContext.current().filter(id::equals).isPresent()) {
            throw new IllegalStateException("A tenant is created in its own context");
        }
        if (Boolean.TRUE.equals(jdbc.sql("select switchboard_tenant_slug_taken(:slug)").param("slug", slug)
                .query(Boolean.class).single())) {
            throw slugTaken(slug);
        }
        try {
            jdbc.sql("insert into tenants (id, slug, name) values (:id, :slug, :name)")
                    .param("id", id).param("slug", slug).param("name", name).update();
        }
        catch (DuplicateKeyException ex) {
            throw slugTaken(slug);
        }
        return new Tenant(id, slug, name);
    }

    /** The current tenant's record. */
    @Transactional(readOnly = true)
    public Optional<Tenant> current() {
        return jdbc.sql("select id, slug, name from tenants where id = switchboard_current_tenant() and deleted_at is null")
                .query(Tenant.class).optional();
    }

    private static SwitchboardException slugTaken(String slug) {
        return new SwitchboardException(HttpStatus.CONFLICT, "tenant-exists",
                "A tenant named '" + slug + "' already exists; choose another name.");
    }
}
