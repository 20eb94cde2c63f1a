package dev.switchboard.llm.internal.provider;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import dev.switchboard.shared.OutboundConnections;
import dev.switchboard.shared.OutboundRefusedException;

/**
 * Warns at start-up about configured providers whose address the outbound policy refuses (an internal model
 * server whose range is not in {@code switchboard.security.outbound.allowed-networks}): every call to them would
 * end {@code destination_refused}. A warning, not a failure: names resolve differently over time, and a provider
 * that does not resolve yet (offline, DNS not ready) is not an error here.
 */
@Component
class ConfiguredDestinationsCheck {

    private static final Logger log = LoggerFactory.getLogger(ConfiguredDestinationsCheck.class);

    private final ProviderDirectory providers;
    private final OutboundConnections outbound;

    ConfiguredDestinationsCheck(ProviderDirectory providers, OutboundConnections outbound) {
        this.providers = providers;
        this.outbound = outbound;
    }

    @EventListener(ApplicationReadyEvent.class)
    void check() {
        Thread.ofVirtual().name("llm-destination-check").start(() -> providers.configured().values().forEach(this::check));
    }

    void check(ProviderSpec provider) {
        try {
            outbound.checkUrl(provider.baseUrl());
        }
        catch (OutboundRefusedException ex) {
            log.warn("LLM provider {}: {} Calls to it will be refused.", provider.id(), ex.getBody().getDetail());
        }
        catch (IllegalArgumentException ex) {
            log.debug("LLM provider {} not checked at start-up: {}", provider.id(), ex.getMessage());
        }
    }
}
