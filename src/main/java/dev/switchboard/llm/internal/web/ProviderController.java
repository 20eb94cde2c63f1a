package dev.switchboard.llm.internal.web;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.switchboard.llm.Attempt;
import dev.switchboard.llm.Chain;
import dev.switchboard.llm.Citation;
import dev.switchboard.llm.LlmRequest;
import dev.switchboard.llm.LlmResult;
import dev.switchboard.llm.LlmRouter;
import dev.switchboard.llm.ModelCallQuota;
import dev.switchboard.llm.Usage;
import dev.switchboard.llm.internal.RecentCalls;
import dev.switchboard.llm.internal.TargetStates;
import dev.switchboard.llm.internal.provider.ProviderAdministration;
import dev.switchboard.llm.internal.provider.ProviderDirectory;
import dev.switchboard.llm.internal.provider.ProviderSpec;
import dev.switchboard.shared.SwitchboardException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

@Tag(name = "Providers")
@SecurityRequirement(name = "bearer")
@RestController
@RequestMapping("/api/providers")
@PreAuthorize("hasRole('ADMIN')")
class ProviderController {

    /** Tokens reserved for a test prompt's answer: the provider's default limit is not known, so a typical answer's. */
    static final long TEST_ANSWER_TOKENS = 1024;

    private final ProviderDirectory directory;
    private final ProviderAdministration administration;
    private final TargetStates states;
    private final LlmRouter router;
    private final ModelCallQuota quota;

    ProviderController(ProviderDirectory directory, ProviderAdministration administration, TargetStates states, LlmRouter router,
            ModelCallQuota quota) {
        this.quota = quota;
        this.directory = directory;
        this.administration = administration;
        this.states = states;
        this.router = router;
    }

    /** A provider as shown to administrators: never its key, only whether it has one. */
    record ProviderView(String id, String kind, String baseUrl, boolean apiKeySet, List<ProviderSpec.ModelSpec> models,
            String connectTimeout, String firstTokenTimeout, String totalTimeout, int maxRetries, String source) {

        static ProviderView of(ProviderSpec spec) {
            return new ProviderView(spec.id(), spec.kind().id(), spec.baseUrl(), spec.apiKey() != null && !spec.apiKey().isEmpty(),
                    spec.models(), spec.timeouts().connect().toString(), spec.timeouts().firstToken().toString(),
                    spec.timeouts().total().toString(), spec.maxRetries(), spec.runtime() ? "runtime" : "configuration");
        }
    }

    record ProviderHealth(String id, String kind, String source,
            @Schema(allowableValues = {
                    "unused", "closed", "open", "half_open"}) String state,
            @Schema(description = "The breaker state of each of the provider's models (closed, open, half_open).", additionalPropertiesSchema = String.class) Map<String, String> targets,
            String lastErrorKind, Instant lastErrorAt, Instant lastSuccessAt) {
    }

    record ProviderList(List<ProviderView> providers, String defaultChain) {
    }

    record ProviderHealthList(List<ProviderHealth> providers) {
    }

    record ProviderCalls(String provider, List<RecentCalls.Call> calls) {
    }

    record TestRequest(@NotBlank @Size(max = 32_000) String prompt, @Size(max = 2_000) String chain) {
    }

    record TestResult(String content, String target, List<Attempt> attempts, Usage usage, boolean failover, boolean complete,
            List<Citation> citations, String chain) {
    }

    @Operation(summary = "List providers", description = "The configured providers and this tenant's runtime ones. Keys are "
            + "never returned; apiKeySet says whether there is one.")
    @GetMapping
    ProviderList list() {
        return new ProviderList(directory.all().stream().map(ProviderView::of).toList(), router.defaultChain().toString());
    }

    @Operation(summary = "Show one provider")
    @GetMapping("/{id}")
    ProviderView show(@PathVariable String id) {
        return administration.find(id).map(ProviderView::of)
                .orElseThrow(() -> new SwitchboardException(HttpStatus.NOT_FOUND, "not-found", "There is no provider '" + id + "'."));
    }

    @Operation(summary = "Register a provider", description = "Registers a provider for this tenant. The key is stored "
            + "encrypted (AES-256-GCM) and never returned. Timeouts are ISO-8601 durations (PT30S).")
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    ProviderView create(@RequestBody ProviderAdministration.Registration registration) {
        return ProviderView.of(administration.register(registration));
    }

    @Operation(summary = "Change a runtime provider", description = "Replaces the provider's settings; omit apiKey to keep "
            + "the stored key, send an empty one to remove it. Configured providers answer 409.")
    @PutMapping("/{id}")
    ProviderView update(@PathVariable String id, @RequestBody ProviderAdministration.Registration registration) {
        return ProviderView.of(administration.update(id, registration));
    }

    @Operation(summary = "Remove a runtime provider")
    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@PathVariable String id) {
        administration.delete(id);
    }

    @Operation(summary = "Provider health", description = "Every provider with the state of its targets' circuit breakers "
            + "on this replica (closed, open, half_open; unused before the first call), its last error kind and when, and "
            + "its last success. Never a provider's own error text or key.")
    @GetMapping("/health")
    ProviderHealthList health() {
        return new ProviderHealthList(directory.all().stream().map(this::health).toList());
    }

    private ProviderHealth health(ProviderSpec spec) {
        Map<String, CircuitBreaker.State> breakers = states.breakerStates(spec);
        TargetStates.ProviderState state = states.state(spec);
        String overall = breakers.isEmpty() ? "unused"
                : breakers.containsValue(CircuitBreaker.State.OPEN) ? "open"
                : breakers.containsValue(CircuitBreaker.State.HALF_OPEN) ? "half_open" : "closed";
        Map<String, String> targets = new TreeMap<>();
        breakers.forEach((model, breaker) -> targets.put(model, breaker.name().toLowerCase(Locale.ROOT)));
        return new ProviderHealth(spec.id(), spec.kind().id(), spec.runtime() ? "runtime" : "configuration", overall, targets,
                state.lastErrorKind().map(kind -> kind.kind()).orElse(null), state.lastErrorAt().orElse(null),
                state.lastSuccessAt().orElse(null));
    }

    @Operation(summary = "A provider's recent calls", description = "Its last 100 calls on this replica, oldest first: "
            + "when each ended, the model, how it ended (answered, timeout, server_error, ...) and its latency in "
            + "milliseconds. Kept in memory: empty after a restart and before the first call.")
    @GetMapping("/{id}/calls")
    ProviderCalls calls(@PathVariable String id) {
        ProviderSpec spec = administration.find(id)
                .orElseThrow(() -> new SwitchboardException(HttpStatus.NOT_FOUND, "not-found", "There is no provider '" + id + "'."));
        return new ProviderCalls(spec.id(), states.recentCalls(spec));
    }

    @Operation(summary = "Test a chain", description = "Runs a prompt through the default chain, or the given one (same "
            + "syntax as switchboard.llm.default-chain), and says which target answered, every attempt, and the tokens used.")
    @PostMapping("/test")
    TestResult test(@Valid @RequestBody TestRequest request) {
        Chain chain;
        try {
            chain = request.chain() == null || request.chain().isBlank() ? router.defaultChain() : Chain.parse(request.chain());
        }
        catch (IllegalArgumentException ex) {
            throw new SwitchboardException(HttpStatus.BAD_REQUEST, "validation", "chain: " + ex.getMessage() + ".");
        }
        LlmRequest prompt = LlmRequest.ofPrompt(request.prompt(), "POST /api/providers/test");
        // Test prompts are model calls like any other: metered against the admin's token quota.
        ModelCallQuota.Reserved reserved = quota.reserve(prompt.estimatedPromptTokens() + TEST_ANSWER_TOKENS, "This test prompt");
        LlmResult result = null;
        try {
            result = router.generate(chain, prompt);
        }
        finally {
            reserved.settle(result == null ? 0 : result.usage().totalTokens());
        }
        return new TestResult(result.content(), result.target().toString(), result.attempts(), result.usage(), result.failover(),
                result.complete(), result.citations(), chain.toString());
    }
}
