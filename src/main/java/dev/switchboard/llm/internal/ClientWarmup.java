package dev.switchboard.llm.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import dev.switchboard.llm.LlmRouter;
import dev.switchboard.llm.Target;
import dev.switchboard.llm.internal.provider.ProviderDirectory;

/**
 * Builds the clients of the default chain's targets as soon as the application is ready, off the request
 * path: building one loads its SDK's classes, which on a cold JVM takes longer than a tight first-token
 * timeout, and the first requests would otherwise pay for it (and could time out on healthy providers).
 */
@Component
class ClientWarmup {

    private static final Logger log = LoggerFactory.getLogger(ClientWarmup.class);

    private final LlmRouter router;
    private final ProviderDirectory providers;
    private final ChatClients clients;

    ClientWarmup(LlmRouter router, ProviderDirectory providers, ChatClients clients) {
        this.router = router;
        this.providers = providers;
        this.clients = clients;
    }

    @EventListener(ApplicationReadyEvent.class)
    void warm() {
        Thread.ofVirtual().name("llm-client-warmup").start(() -> {
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
