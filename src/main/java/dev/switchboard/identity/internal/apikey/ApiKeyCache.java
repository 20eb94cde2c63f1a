package dev.switchboard.identity.internal.apikey;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.springframework.stereotype.Component;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.switchboard.identity.Caller;

/**
 * Authenticated API keys, kept for {@value #TTL_SECONDS} s so that a request costs no database look-up.
 * Revoking a key, or disabling, deleting or re-roling a user, clears the cache on every replica at once
 * ({@link CredentialInvalidations}); a look-up that raced with such a change is not cached (generation check).
 * Unknown keys are never cached.
 */
@Component
class ApiKeyCache {

    static final long TTL_SECONDS = 30;

    record Entry(Caller caller, Instant expiresAt) {
    }

    private final Cache<String, Entry> entries = Caffeine.newBuilder()
            .maximumSize(100_000)
            .expireAfterWrite(Duration.ofSeconds(TTL_SECONDS))
            .build();
    private final AtomicLong generation = new AtomicLong();
    private final Clock clock;

    ApiKeyCache(Clock clock) {
        this.clock = clock;
    }

    Optional<Caller> get(byte[] keyHash, Supplier<Optional<Entry>> load) {
        String id = HexFormat.of().formatHex(keyHash);
        Entry cached = entries.getIfPresent(id);
        if (cached != null) {
            if (cached.expiresAt() == null || cached.expiresAt().isAfter(clock.instant())) {
                return Optional.of(cached.caller());
            }
            entries.invalidate(id);
            return Optional.empty();
        }
        long before = generation.get();
        Optional<Entry> loaded = load.get();
        loaded.ifPresent(entry -> {
            if (generation.get() == before) {
                entries.put(id, entry);
            }
        });
        return loaded.map(Entry::caller);
    }

    void clear() {
        generation.incrementAndGet();
        entries.invalidateAll();
    }
}
