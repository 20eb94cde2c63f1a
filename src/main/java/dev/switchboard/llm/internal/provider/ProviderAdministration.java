package dev.switchboard.llm.internal.provider;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.switchboard.llm.ProviderChanged;
import dev.switchboard.llm.Target;
import dev.switchboard.shared.OutboundConnections;
import dev.switchboard.shared.SwitchboardException;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * Registering, changing and removing the current tenant's runtime providers. Ids of configured providers
 * (and {@code local}, the local responder's) are taken; base URLs pass the outbound address policy.
 */
@Service
public class ProviderAdministration {

    /** What an administrator sends; a null key on update keeps the stored one, an empty key removes it. */
    @Schema(name = "ProviderRegistration")
    public record Registration(String id, ProviderKind kind, String baseUrl, String apiKey, List<ProviderSpec.ModelSpec> models,
            Duration connectTimeout, Duration firstTokenTimeout, Duration totalTimeout, Integer maxRetries) {
    }

    private static final Duration LONGEST_TIMEOUT = Duration.ofMinutes(10);

    private final RuntimeProviders runtime;
    private final ProviderDirectory directory;
    private final OutboundConnections outbound;
    private final ApplicationEventPublisher events;

    ProviderAdministration(RuntimeProviders runtime, ProviderDirectory directory, OutboundConnections outbound,
            ApplicationEventPublisher events) {
        this.runtime = runtime;
        this.directory = directory;
        this.outbound = outbound;
        this.events = events;
    }

    @Transactional
    public ProviderSpec register(Registration registration) {
        String id = registration.id() == null ? "" : registration.id().strip();
        try {
            new Target(id, "any");
        }
        catch (IllegalArgumentException ex) {
            throw invalid("id: " + ex.getMessage() + ".");
        }
        if (directory.isConfigured(id) || id.equals(Target.LOCAL_EXTRACTIVE.providerId())) {
            throw new SwitchboardException(HttpStatus.CONFLICT, "provider-exists", "The id '" + id
                    + "' belongs to a provider configured in the settings (or to the local responder); choose another.");
        }
        ProviderSpec spec = validated(id, registration, null);
        if (!runtime.insert(spec)) {
            throw new SwitchboardException(HttpStatus.CONFLICT, "provider-exists", "There is already a provider '" + id
                    + "'; change it with PUT /api/providers/" + id + ".");
        }
        changed(id, "provider.created");
        return runtime.find(id).orElseThrow();
    }

    @Transactional
    public ProviderSpec update(String id, Registration registration) {
        refuseConfigured(id);
        ProviderSpec existing = runtime.find(id).orElseThrow(() -> notFound(id));
        ProviderSpec spec = validated(id, registration, existing);
        runtime.update(spec);
        changed(id, "provider.updated");
        return runtime.find(id).orElseThrow();
    }

    @Transactional
    public void delete(String id) {
        refuseConfigured(id);
        if (!runtime.delete(id)) {
            throw notFound(id);
        }
        changed(id, "provider.deleted");
    }

    @Transactional(readOnly = true)
    public Optional<ProviderSpec> find(String id) {
        return directory.isConfigured(id) ? Optional.of(directory.configured().get(id)) : runtime.find(id);
    }

    private void changed(String id, String action) {
        directory.refresh();
        events.publishEvent(new ProviderChanged(id, action));
    }

    private ProviderSpec validated(String id, Registration registration, ProviderSpec existing) {
        if (registration.kind() == null) {
            throw invalid("kind is required: openai, anthropic, gemini or ollama.");
        }
        ProviderKind kind = registration.kind();
        String baseUrl = registration.baseUrl() == null || registration.baseUrl().isBlank() ? kind.defaultBaseUrl()
                : registration.baseUrl().strip();
        try {
            // Fast feedback only: every connection is checked again when it is made.
            outbound.checkUrl(baseUrl);
        }
        catch (IllegalArgumentException ex) {
            throw invalid("baseUrl: " + ex.getMessage());
        }
        String apiKey = registration.apiKey() != null ? registration.apiKey().strip() : existing != null ? existing.apiKey() : null;
        if (kind.needsApiKey() && (apiKey == null || apiKey.isEmpty()) && registration.baseUrl() == null) {
            throw invalid("apiKey is required for " + kind.id() + " at its public endpoint.");
        }
        if (apiKey != null && apiKey.length() > 1000) {
            throw invalid("apiKey is longer than 1000 characters.");
        }
        List<ProviderSpec.ModelSpec> models = registration.models() == null ? List.of() : registration.models();
        for (ProviderSpec.ModelSpec model : models) {
            if (model == null || model.name() == null || model.name().isBlank()) {
                throw invalid("models: every model needs a name.");
            }
            if (model.contextLength() != null && model.contextLength() < 1) {
                throw invalid("models: contextLength of " + model.name() + " must be positive.");
            }
        }
        ProviderSpec.Timeouts defaults = ProviderSpec.Timeouts.DEFAULTS;
        ProviderSpec.Timeouts timeouts = new ProviderSpec.Timeouts(
                timeout("connectTimeout", registration.connectTimeout(), defaults.connect()),
                timeout("firstTokenTimeout", registration.firstTokenTimeout(), defaults.firstToken()),
                timeout("totalTimeout", registration.totalTimeout(), defaults.total()));
        int maxRetries = registration.maxRetries() == null ? 1 : registration.maxRetries();
        if (maxRetries < 0 || maxRetries > 5) {
            throw invalid("maxRetries must be between 0 and 5.");
        }
        return new ProviderSpec(id, kind, baseUrl, apiKey, models, timeouts, maxRetries, 0, true);
    }

    private static Duration timeout(String name, Duration value, Duration fallback) {
        Duration timeout = value == null ? fallback : value;
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(LONGEST_TIMEOUT) > 0) {
            throw invalid(name + " must be positive and at most 10 minutes (ISO-8601, e.g. PT30S).");
        }
        return timeout;
    }

    private void refuseConfigured(String id) {
        if (directory.isConfigured(id)) {
            throw new SwitchboardException(HttpStatus.CONFLICT, "provider-configured", "The provider '" + id
                    + "' is configured in the settings (switchboard.llm.providers." + id + "); change it there.");
        }
    }

    private static SwitchboardException notFound(String id) {
        return new SwitchboardException(HttpStatus.NOT_FOUND, "not-found", "There is no provider '" + id + "'.");
    }

    private static SwitchboardException invalid(String detail) {
        return new SwitchboardException(HttpStatus.BAD_REQUEST, "validation", detail);
    }
}
