package dev.switchboard.shared;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import dev.switchboard.shared.internal.logging.Redactor;
import dev.switchboard.shared.internal.tracing.TracingProperties;
import io.micrometer.tracing.Link;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;

/**
 * The one way modules make spans (docs/operations.md, "Traces"): a child of the current span, in scope until closed,
 * with attributes named in {@link TraceAttributes}. Spans go through Micrometer's {@link Tracer}, not its
 * {@code Observation}s, on purpose: an observation would also register a timer per name, duplicating the metrics the
 * modules already keep, with tags the spans need and metrics must not have (models, tools, tenants).
 *
 * <p>Usage: {@code try (TraceSpan span = traces.start("retrieve")) { span.tag(...); ... }}. With no exporter configured
 * the spans are not recorded (the sampler drops them); they still carry trace ids for the logs and problem bodies.
 */
@Component
public class Traces {

    private static final Pattern TRACEPARENT = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})");

    private final Tracer tracer;
    private final boolean captureContent;

    @Autowired
    public Traces(ObjectProvider<Tracer> tracer, TracingProperties properties) {
        this(tracer.getIfAvailable(() -> Tracer.NOOP), properties.captureContent());
    }

    private Traces(Tracer tracer, boolean captureContent) {
        this.tracer = tracer;
        this.captureContent = captureContent;
    }

    /** Spans through the given tracer: for code built outside the application context (unit tests, tools). */
    public static Traces of(Tracer tracer, boolean captureContent) {
        return new Traces(tracer, captureContent);
    }

    /** No spans at all. */
    public static Traces none() {
        return new Traces(Tracer.NOOP, false);
    }

    /** Starts a child of the current span (a root span when there is none) and makes it current until closed. */
    public TraceSpan start(String name) {
        Span span = tracer.nextSpan().name(name).start();
        return new TraceSpan(span, tracer.withSpan(span), captureContent);
    }

    /**
     * Starts a child of the current span without making it current here: for work that runs on another thread
     * ({@link TraceSpan#inScope}), ended by whoever waits for it.
     */
    public TraceSpan startDetached(String name) {
        return new TraceSpan(tracer.nextSpan().name(name).start(), null, captureContent);
    }

    /**
     * Starts the root span of a new trace, linked to the trace a {@link #currentContext()} came from (the upload
     * whose document a job ingests); a plain root span when {@code linkedTo} is null or malformed.
     */
    public TraceSpan startLinked(String name, String linkedTo) {
        Span.Builder builder = tracer.spanBuilder().name(name).setNoParent();
        parse(linkedTo).ifPresent(context -> builder.addLink(new Link(context)));
        Span span = builder.start();
        return new TraceSpan(span, tracer.withSpan(span), captureContent);
    }

    /**
     * The current span as a W3C {@code traceparent} value, to be stored with work that runs later (an ingestion
     * job) and linked with {@link #startLinked}; null outside a trace.
     */
    public String currentContext() {
        Span span = tracer.currentSpan();
        if (span == null || !valid(span.context().traceId())) {
            return null;
        }
        TraceContext context = span.context();
        return "00-" + context.traceId() + "-" + context.spanId() + "-" + (Boolean.TRUE.equals(context.sampled()) ? "01" : "00");
    }

    /** The current trace's id (32 hex digits), empty outside a trace. */
    public Optional<String> currentTraceId() {
        // Not isNoop(): that is true of every span not recorded, and a trace id is worth showing while not recording too.
        Span span = tracer.currentSpan();
        String id = span == null ? null : span.context().traceId();
        return valid(id) ? Optional.of(id) : Optional.empty();
    }

    private static boolean valid(String traceId) {
        return traceId != null && !traceId.isEmpty() && !traceId.chars().allMatch(c -> c == '0');
    }

    /** Whether spans carry prompt and completion text ({@code switchboard.tracing.capture-content}). */
    public boolean capturesContent() {
        return captureContent;
    }

    TraceSpan.Scope scope(Span span) {
        Tracer.SpanInScope scope = tracer.withSpan(span);
        return scope::close;
    }

    private Optional<TraceContext> parse(String traceparent) {
        if (traceparent == null) {
            return Optional.empty();
        }
        Matcher matcher = TRACEPARENT.matcher(traceparent);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        return Optional.of(tracer.traceContextBuilder().traceId(matcher.group(1)).spanId(matcher.group(2))
                .sampled("01".equals(matcher.group(3))).build());
    }

    /** Text as the logs would show it: personal data and secrets masked. */
    static String redact(String text) {
        return Redactor.redact(text);
    }
}
