package dev.switchboard.identity;

/** What a user may do in their tenant. */
public enum Role {
    /** Manages the tenant: users, keys of anyone, personas, providers, knowledge, databases. */
    ADMIN,
    /** Uses what admins provide: chat with allowed personas, own sessions and keys. */
    MEMBER
}
