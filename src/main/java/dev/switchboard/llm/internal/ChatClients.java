package dev.switchboard.llm.internal;

import java.time.Duration;

import org.springframework.ai.chat.model.ChatModel;
import org.springframework.stereotype.Component;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.switchboard.llm.Target;
import dev.switchboard.llm.internal.provider.ChatModelFactory;
import dev.switchboard.llm.internal.provider.ProviderSpec;

/**
 * The Spring AI client of every target in use, built on first use. The key is the whole provider spec, so a
 * changed provider (new key, URL or timeouts) gets a new client and the old one ages out.
 */
@Component
class ChatClients {

    private record Key(ProviderSpec provider, String model) {
    }

    private final Cache<Key, ChatModel> clients = Caffeine.newBuilder()
            .maximumSize(1_000).expireAfterAccess(Duration.ofHours(1)).build();

    ChatModel of(ProviderSpec provider, Target target) {
        return clients.get(new Key(provider, target.model()), key -> ChatModelFactory.create(key.provider(), key.model()));
    }
}
