package dev.switchboard.llm.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import dev.switchboard.llm.LlmRouter;
import dev.switchboard.llm.Target;
import dev.switchboard.llm.internal.provider.ProviderConnections;
import dev.switchboard.llm.internal.provider.ProviderDirectory;

/**
 * Builds the shared provider connections and the clients of the default chain's targets as soon as the application is
 * ready, off the request path: building one loads its SDK's classes (and the connections set up TLS), which on a cold JVM
 * takes longer than a tight first-token timeout, and the first requests would otherwise pay for it (and could time out
 * on healthy providers).
 */
@Component
class ClientWarmup {

    private static final Logger log = LoggerFactory.getLogger(ClientWarmup.class);

    private final LlmRouter router;
    private final ProviderDirectory providers;
    private final ChatClients clients;
    private final ProviderConnections connections;

    ClientWarmup(LlmRouter router, ProviderDirectory providers, ChatClients clients, ProviderConnections connections) {
        this.router = router;
        this.providers = providers;
        this.clients = clients;
        this.connections = connections;
    }

    @EventListener(ApplicationReadyEvent.class)
    void warm() {
        Thread.ofVirtual().name("llm-client-warmup").start(() -> {
            try {
                connections.warm();
            }
            catch (RuntimeException ex) {
                log.warn("Cannot build the provider connections: {}", ex.getMessage());
            }
            for (Target target : router.defaultChain().targets()) {
                providers.find(target.providerId()).ifPresent(provider -> {
                    try {
                        clients.of(provider, target);
                    }
                    catch (RuntimeException ex) {
                        log.warn("Cannot build the client of LLM target {} ({}): {}", target, provider.kind().id(), ex.getMessage());
                    }
                });
            }
        });
    }
}
