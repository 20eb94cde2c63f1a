package dev.switchboard.identity;

import java.util.Collection;
import java.util.Set;
import java.util.UUID;

/** The users of the current tenant, for modules that let an administrator name some of them (e.g. to share a resource). */
public interface TenantUsers {

    /** Those of {@code userIds} that are not users of the current tenant (unknown ids and other tenants' users alike). */
    Set<UUID> notInTenant(Collection<UUID> userIds);
}
