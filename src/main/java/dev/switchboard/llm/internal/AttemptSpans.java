package dev.switchboard.llm.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import org.springframework.stereotype.Component;

import dev.switchboard.llm.AttemptOutcome;
import dev.switchboard.llm.LlmMessage;
import dev.switchboard.llm.LlmRequest;
import dev.switchboard.llm.Target;
import dev.switchboard.llm.Usage;
import dev.switchboard.llm.internal.provider.ProviderKind;
import dev.switchboard.shared.TraceAttributes;
import dev.switchboard.shared.TraceSpan;
import dev.switchboard.shared.Traces;
import dev.switchboard.tenancy.TenantContext;
import tools.jackson.databind.json.JsonMapper;

/**
 * A span per LLM attempt, named as the GenAI conventions say ({@code chat {model}}): the target, which try it was, the
 * outcome (failed attempts marked as errors with the outcome as {@code error.type}), and for answers the response
 * model, finish reasons and token counts. Skipped targets (breaker open, missing capability, unknown provider) get a
 * zero-length span with their reason, so that a trace shows the whole way through the chain.
 */
@Component
class AttemptSpans {

    /** The GenAI conventions' provider name of the local extractive responder, which is no provider's. */
    static final String LOCAL_PROVIDER = "switchboard.local";

    private static final JsonMapper JSON = JsonMapper.shared();

    private final Traces traces;

    AttemptSpans(Traces traces) {
        this.traces = traces;
    }

    /** Opens the span of one try of a target; the caller closes it after {@link #answered} or {@link #failed}. */
    TraceSpan start(ProviderKind kind, Target target, LlmRequest request, int tryNumber) {
        TraceSpan span = started(providerName(kind), target);
        span.tag(TraceAttributes.LLM_TRY, tryNumber);
        if (request.temperature() != null) {
            span.tag(TraceAttributes.REQUEST_TEMPERATURE, String.valueOf(request.temperature()));
        }
        if (request.maxTokens() != null) {
            span.tag(TraceAttributes.REQUEST_MAX_TOKENS, request.maxTokens());
        }
        if (span.capturesContent()) {
            span.content(TraceAttributes.INPUT_MESSAGES, inputMessages(request.messages()));
        }
        return span;
    }

    /** A target the chain passed over without calling it. */
    void skipped(ProviderKind kind, Target target, AttemptOutcome reason) {
        try (TraceSpan span = started(kind == null ? null : providerName(kind), target)) {
            span.tag(TraceAttributes.LLM_OUTCOME, reason.kind());
        }
    }

    /** The local extractive responder answered (or had nothing to quote: {@code answered} false). */
    void local(String content, boolean answered) {
        try (TraceSpan span = started(LOCAL_PROVIDER, Target.LOCAL_EXTRACTIVE)) {
            if (answered) {
                span.tag(TraceAttributes.LLM_OUTCOME, AttemptOutcome.ANSWERED.kind())
                        .content(TraceAttributes.OUTPUT_MESSAGES, outputMessage(content));
            }
            else {
                span.tag(TraceAttributes.LLM_OUTCOME, "nothing_to_quote").failed("nothing_to_quote");
            }
        }
    }

    static void answered(TraceSpan span, AttemptOutcome outcome, String responseModel, List<String> finishReasons, Usage usage,
            String content) {
        span.tag(TraceAttributes.LLM_OUTCOME, outcome.kind())
                .tag(TraceAttributes.RESPONSE_MODEL, responseModel)
                .tag(TraceAttributes.FINISH_REASONS, finishReasons)
                .tag(TraceAttributes.INPUT_TOKENS, usage.inputTokens())
                .tag(TraceAttributes.OUTPUT_TOKENS, usage.outputTokens())
                .content(TraceAttributes.OUTPUT_MESSAGES, span.capturesContent() ? outputMessage(content) : null);
        if (outcome != AttemptOutcome.ANSWERED) {
            span.failed(outcome.kind());
        }
    }

    static void failed(TraceSpan span, AttemptOutcome outcome) {
        span.tag(TraceAttributes.LLM_OUTCOME, outcome.kind()).failed(outcome.kind());
    }

    private TraceSpan started(String provider, Target target) {
        TraceSpan span = traces.start("chat " + target.model())
                .tag(TraceAttributes.OPERATION, "chat")
                .tag(TraceAttributes.PROVIDER, provider)
                .tag(TraceAttributes.REQUEST_MODEL, target.model())
                .tag(TraceAttributes.LLM_TARGET, target.toString());
        TenantContext.current().ifPresent(tenant -> span.tag(TraceAttributes.TENANT, tenant.toString()));
        return span;
    }

    /** The GenAI conventions' well-known provider names. */
    static String providerName(ProviderKind kind) {
        return switch (kind) {
            case OPENAI -> "openai";
            case ANTHROPIC -> "anthropic";
            case GEMINI -> "gcp.gemini";
            case OLLAMA -> "ollama";
        };
    }

    /** The prompt in the conventions' shape: {@code [{"role": …, "parts": [{"type": "text", "content": …}]}]}. */
    private static String inputMessages(List<LlmMessage> messages) {
        List<Map<String, Object>> shaped = new ArrayList<>();
        for (LlmMessage message : messages) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("role", message.role().name().toLowerCase(Locale.ROOT));
            List<Map<String, Object>> parts = new ArrayList<>();
            if (message.content() != null && !message.content().isEmpty()) {
                parts.add(Map.of("type", "text", "content", message.content()));
            }
            message.toolCalls().forEach(call -> parts.add(Map.of("type", "tool_call", "id", Objects.toString(call.id(), ""), "name",
                    Objects.toString(call.name(), ""), "arguments", Objects.toString(call.arguments(), ""))));
            one.put("parts", parts);
            shaped.add(one);
        }
        return JSON.writeValueAsString(shaped);
    }

    private static String outputMessage(String content) {
        return JSON.writeValueAsString(List.of(Map.of("role", "assistant", "parts",
                List.of(Map.of("type", "text", "content", content == null ? "" : content)))));
    }
}
