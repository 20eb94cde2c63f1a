package dev.switchboard.llm.internal;

import java.time.Duration;

import org.springframework.ai.chat.model.ChatModel;
import org.springframework.stereotype.Component;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.switchboard.llm.Target;
import dev.switchboard.llm.internal.provider.ChatModelFactory;
import dev.switchboard.llm.internal.provider.OpenAiWire;
import dev.switchboard.llm.internal.provider.ProviderConnections;
import dev.switchboard.llm.internal.provider.ProviderSpec;

/**
 * The Spring AI client of every target in use, built on first use. The key is the whole provider spec, so a
 * changed provider (new key, URL or timeouts) gets a new client and the old one ages out. Every client goes over
 * its kind's {@link ProviderConnections}.
 */
@Component
class ChatClients {

    private record Key(ProviderSpec provider, String model) {
    }

    private final Cache<Key, ChatModel> clients = Caffeine.newBuilder()
            .maximumSize(1_000).expireAfterAccess(Duration.ofHours(1)).build();

    private final Cache<ProviderSpec, OpenAiWire> wires = Caffeine.newBuilder()
            .maximumSize(1_000).expireAfterAccess(Duration.ofHours(1)).build();

    private final ChatModelFactory factory;

    ChatClients(ProviderConnections connections) {
        this.factory = new ChatModelFactory(connections);
    }

    ChatModel of(ProviderSpec provider, Target target) {
        return clients.get(new Key(provider, target.model()), key -> factory.create(key.provider(), key.model()));
    }

    /** The direct OpenAI wire of an OpenAI-kind provider (see {@link OpenAiWire}), built on first use. */
    OpenAiWire wire(ProviderSpec provider) {
        return wires.get(provider, factory::openAiWire);
    }
}
