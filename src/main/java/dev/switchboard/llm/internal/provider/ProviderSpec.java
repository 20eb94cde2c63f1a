package dev.switchboard.llm.internal.provider;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Everything needed to call one provider, whether configured or registered at run time.
 *
 * @param id the id targets use ({@code primary} in {@code primary:gpt-4o})
 * @param revision changes whenever the provider does, so that clients built for an old revision are dropped
 * @param runtime whether an administrator registered it through the API (else: configuration)
 */
public record ProviderSpec(String id, ProviderKind kind, String baseUrl, String apiKey, List<ModelSpec> models,
        Timeouts timeouts, int maxRetries, long revision, boolean runtime) {

    public ProviderSpec {
        baseUrl = baseUrl == null || baseUrl.isBlank() ? kind.defaultBaseUrl() : stripTrailingSlash(baseUrl.strip());
        models = models == null ? List.of() : List.copyOf(models);
    }

    /** What a model can do; null fields are unknown (and do not cause skipping). */
    public record ModelSpec(String name, Integer contextLength, Boolean tools) {
    }

    /** The three timeouts of every target. */
    public record Timeouts(Duration connect, Duration firstToken, Duration total) {

        public static final Timeouts DEFAULTS = new Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(30),
                Duration.ofSeconds(120));
    }

    public Optional<ModelSpec> model(String name) {
        return models.stream().filter(model -> model.name().equals(name)).findFirst();
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    @Override
    public String toString() {
        return "ProviderSpec[" + id + ", " + kind.id() + ", " + baseUrl + "]";
    }
}
