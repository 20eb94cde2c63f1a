package dev.switchboard.identity;

import java.util.Set;

/**
 * The metering tiers users and keys can be given. Implemented by the metering module, which owns the tiers'
 * limits; identity only checks names against it.
 */
public interface Tiers {

    /** Every tier name. */
    Set<String> names();

    /** The tier of users nobody gave one ({@code switchboard.metering.default-tier}). */
    String defaultTier();

    default boolean exists(String tier) {
        return names().contains(tier);
    }
}
