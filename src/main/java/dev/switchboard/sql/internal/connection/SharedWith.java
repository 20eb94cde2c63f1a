package dev.switchboard.sql.internal.connection;

import java.util.List;
import java.util.UUID;

import dev.switchboard.identity.Caller;
import dev.switchboard.identity.Role;

/**
 * Who besides administrators may ask questions on a registered database: everyone with one of the roles, and
 * the users named. Administrators (callers who act as admin) always may.
 *
 * @param roles roles whose members may use it
 * @param userIds users who may use it, whatever their role
 */
public record SharedWith(List<Role> roles, List<UUID> userIds) {

    public static final SharedWith NOBODY = new SharedWith(List.of(), List.of());

    public SharedWith {
        roles = roles == null ? List.of() : List.copyOf(roles);
        userIds = userIds == null ? List.of() : List.copyOf(userIds);
    }

    /** The one rule of who may use a registered database. */
    public boolean admits(Caller caller) {
        return caller.actsAsAdmin() || roles.contains(caller.role()) || userIds.contains(caller.userId());
    }
}
