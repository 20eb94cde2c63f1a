package dev.switchboard.metering.internal;

import java.util.Set;

import org.springframework.stereotype.Component;

import dev.switchboard.identity.Tiers;

/** The tiers of {@code switchboard.metering.tiers}, for identity to check the names admins give. */
@Component
class ConfiguredTiers implements Tiers {

    private final MeteringProperties properties;

    ConfiguredTiers(MeteringProperties properties) {
        this.properties = properties;
    }

    @Override
    public Set<String> names() {
        return properties.tiers().keySet();
    }

    @Override
    public String defaultTier() {
        return properties.defaultTier();
    }
}
