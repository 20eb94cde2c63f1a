package dev.switchboard.llm.internal.provider;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.switchboard.llm.internal.LlmProperties;
import dev.switchboard.tenancy.TenantContext;

/**
 * Every provider a request may use: the configured ones, and those the current tenant registered at run
 * time. Runtime providers are read from the database at most every few seconds per tenant (a change on one
 * replica is seen by the others within {@link #RUNTIME_REFRESH}; on the replica that made it, at once).
 */
@Component
public class ProviderDirectory {

    static final Duration RUNTIME_REFRESH = Duration.ofSeconds(5);

    private final Map<String, ProviderSpec> configured;
    private final RuntimeProviders runtime;
    private final TransactionTemplate readOnly;
    private final Cache<UUID, Map<String, ProviderSpec>> runtimeByTenant = Caffeine.newBuilder()
            .expireAfterWrite(RUNTIME_REFRESH).maximumSize(10_000).build();

    public ProviderDirectory(LlmProperties properties, RuntimeProviders runtime, PlatformTransactionManager transactions) {
        this.configured = configured(properties);
        this.runtime = runtime;
        this.readOnly = new TransactionTemplate(transactions);
        this.readOnly.setReadOnly(true);
    }

    /** The providers of {@code switchboard.llm.providers}, as specs. */
    static Map<String, ProviderSpec> configured(LlmProperties properties) {
        Map<String, ProviderSpec> specs = new LinkedHashMap<>();
        properties.providers().forEach((id, provider) -> specs.put(id, new ProviderSpec(id, provider.kind(),
                provider.baseUrl(), provider.apiKey(),
                provider.models().stream().map(m -> new ProviderSpec.ModelSpec(m.name(), m.contextLength(), m.tools())).toList(),
                new ProviderSpec.Timeouts(provider.connectTimeout(), provider.firstTokenTimeout(), provider.totalTimeout()),
                provider.maxRetries(), 0, false)));
        return Collections.unmodifiableMap(specs);
    }

    public Map<String, ProviderSpec> configured() {
        return configured;
    }

    public boolean isConfigured(String id) {
        return configured.containsKey(id);
    }

    /** The provider with this id: configured first, else the current tenant's. */
    public Optional<ProviderSpec> find(String id) {
        ProviderSpec spec = configured.get(id);
        if (spec != null) {
            return Optional.of(spec);
        }
        return Optional.ofNullable(runtimeOfCurrentTenant().get(id));
    }

    /** Configured providers, then the current tenant's, each id once. */
    public List<ProviderSpec> all() {
        List<ProviderSpec> all = new ArrayList<>(configured.values());
        all.sort((a, b) -> a.id().compareTo(b.id()));
        runtimeOfCurrentTenant().values().stream().filter(spec -> !configured.containsKey(spec.id())).forEach(all::add);
        return all;
    }

    /** Forgets the current tenant's runtime providers, after a change. */
    public void refresh() {
        TenantContext.current().ifPresent(runtimeByTenant::invalidate);
    }

    private Map<String, ProviderSpec> runtimeOfCurrentTenant() {
        Optional<UUID> tenant = TenantContext.current();
        if (tenant.isEmpty()) {
            return Map.of();
        }
        return runtimeByTenant.get(tenant.get(), t -> {
            Map<String, ProviderSpec> specs = new LinkedHashMap<>();
            readOnly.execute(status -> runtime.list()).forEach(spec -> specs.put(spec.id(), spec));
            return Collections.unmodifiableMap(specs);
        });
    }
}
