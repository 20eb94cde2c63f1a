package dev.switchboard.llm.internal.embedding;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.llm.EmbeddingClients;
import dev.switchboard.llm.RetryPolicy;
import dev.switchboard.shared.OutboundRefusedException;
import dev.switchboard.shared.Sleeper;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * One embedding target's client over its kind's {@link EmbeddingTransport} (the client and connection pool of the
 * kind's chat calls, connecting through the outbound policy: a forbidden address is a permanent failure naming the
 * range). Each request is under the target's timeout and retried
 * under the {@link RetryPolicy} on 408, 429, 5xx, timeouts and connection errors; other 4xx answers are
 * permanent failures naming the provider, model and status — nothing is retried that cannot succeed.
 */
final class HttpEmbeddingClient implements EmbeddingClients.Client {

    private static final Logger log = LoggerFactory.getLogger(HttpEmbeddingClient.class);

    private final EmbeddingClients.Target target;
    private final EmbeddingWire wire;
    private final EmbeddingTransport transport;
    private final JsonMapper json;
    private final RetryPolicy retry;
    private final Sleeper sleeper;
    private final Clock clock;
    private final RandomGenerator random;

    HttpEmbeddingClient(EmbeddingClients.Target target, EmbeddingWire wire, EmbeddingTransport transport, JsonMapper json,
            RetryPolicy retry, Sleeper sleeper, Clock clock, RandomGenerator random) {
        this.target = target;
        this.wire = wire;
        this.transport = transport;
        this.json = json;
        this.retry = retry;
        this.sleeper = sleeper;
        this.clock = clock;
        this.random = random;
    }

    @Override
    public int maxBatch() {
        return wire.maxBatch();
    }

    @Override
    public List<float[]> embed(List<String> texts, boolean query) {
        String problem;
        for (int retryCount = 0;; retryCount++) {
            Optional<Duration> retryAfter = Optional.empty();
            try {
                EmbeddingTransport.Answer response = transport.post(wire.request(texts, query));
                int status = response.status();
                if (status >= 200 && status < 300) {
                    return parse(response.body(), texts.size());
                }
                if (!RetryPolicy.retryable(status)) {
                    throw new EmbeddingClients.Failed(describe() + " refused the request: HTTP " + status + hint(status), true);
                }
                problem = "HTTP " + status;
                retryAfter = RetryPolicy.retryAfter(response.retryAfter(), clock);
                if (retryAfter.isPresent() && !retry.waitsFor(retryAfter.get())) {
                    throw new EmbeddingClients.Failed(describe() + " answered HTTP " + status + " and asked to wait "
                            + retryAfter.get().toSeconds() + " s; the job retries later", false);
                }
            }
            catch (IOException ex) {
                OutboundRefusedException.in(ex).ifPresent(refused -> {
                    throw new EmbeddingClients.Failed(describe() + " is not called: " + refused.getBody().getDetail(), true);
                });
                problem = "no answer (" + ex.getClass().getSimpleName() + ")";
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new EmbeddingClients.Failed(describe() + " was interrupted", false, ex);
            }
            Optional<Duration> wait = retry.delay(retryCount, retryAfter, random);
            if (wait.isEmpty()) {
                int attempts = retryCount + 1;
                throw new EmbeddingClients.Failed(describe() + " failed " + attempts + (attempts == 1 ? " time" : " times") + " (last: "
                        + problem + ")", false);
            }
            log.warn("Embedding request to {} ({}) failed: {}; retry {} of {}", target.kind(), target.model(), problem, retryCount + 1,
                    retry.maxRetries());
            pause(wait.get());
        }
    }

    private void pause(Duration wait) {
        try {
            sleeper.sleep(wait);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new EmbeddingClients.Failed(describe() + " was interrupted", false, ex);
        }
    }

    private List<float[]> parse(String body, int expected) {
        List<float[]> vectors;
        try {
            vectors = wire.vectors(json.readTree(body));
        }
        catch (JacksonException | NumberFormatException ex) {
            vectors = null;
        }
        if (vectors == null || vectors.size() != expected || vectors.stream().anyMatch(v -> v == null || v.length == 0)) {
            throw new EmbeddingClients.Failed(describe() + " answered with something other than " + expected + " embeddings "
                    + "(is base-url the provider's API?)", true);
        }
        return vectors;
    }

    private String describe() {
        return "The embedding provider " + target.kind() + " (model " + target.model() + ")";
    }

    private String hint(int status) {
        return switch (status) {
            case 401, 403 -> " — check " + target.settings() + ".api-key.";
            case 404 -> " — check " + target.settings() + ".model and base-url.";
            default -> " — the provider rejected the input (too long for the model? a smaller batch-size, or "
                    + "dimensions the model cannot produce?).";
        };
    }

    /** The kind's client is shared with its chat calls: it stays open. */
    @Override
    public void close() {
        // Shared: nothing of this client's own to close.
    }
}
