package dev.switchboard.shared;

import java.util.List;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;

/**
 * One span of a trace, made by {@link Traces}: tag it, then close it (try-with-resources). Tags with a {@code null}
 * value are left out. While tracing does not record (no exporter, or the trace not sampled) every call here is close
 * to free: the span exists only as ids.
 */
public final class TraceSpan implements AutoCloseable {

    /** Marks a span as failed without a stack trace: the failure is a value (an outcome), not an exception. */
    private static final class Failed extends RuntimeException {

        private static final long serialVersionUID = 1L;

        Failed(String type) {
            super(type, null, false, false);
        }
    }

    private final Span span;
    private final Tracer.SpanInScope scope;
    private final boolean captureContent;

    TraceSpan(Span span, Tracer.SpanInScope scope, boolean captureContent) {
        this.span = span;
        this.scope = scope;
        this.captureContent = captureContent;
    }

    /** Adds a string attribute (left out when {@code value} is null). */
    public TraceSpan tag(String key, String value) {
        if (value != null) {
            span.tag(key, value);
        }
        return this;
    }

    /** Adds a number attribute. */
    public TraceSpan tag(String key, long value) {
        span.tag(key, value);
        return this;
    }

    /** Adds a boolean attribute. */
    public TraceSpan tag(String key, boolean value) {
        span.tag(key, value);
        return this;
    }

    /** Adds a string-array attribute (left out when empty). */
    public TraceSpan tag(String key, List<String> values) {
        if (values != null && !values.isEmpty()) {
            span.tagOfStrings(key, values);
        }
        return this;
    }

    /**
     * Adds prompt or completion text, only when {@code switchboard.tracing.capture-content} is on, and then with
     * personal data and secrets masked as in the logs.
     */
    public TraceSpan content(String key, String text) {
        if (captureContent && text != null) {
            span.tag(key, Traces.redact(text));
        }
        return this;
    }

    /** Whether {@link #content} records anything: lets callers skip building text nobody will see. */
    public boolean capturesContent() {
        return captureContent;
    }

    /** Marks the span failed with an OpenTelemetry {@code error.type} (an outcome such as {@code timeout}). */
    public TraceSpan failed(String errorType) {
        span.tag(TraceAttributes.ERROR_TYPE, errorType);
        span.error(new Failed(errorType));
        return this;
    }

    /** Marks the span failed by an exception: its type only, never its message (it may carry user data). */
    public TraceSpan failed(Throwable error) {
        return failed(error.getClass().getName());
    }

    /** The trace's id (32 hex digits). */
    public String traceId() {
        return span.context().traceId();
    }

    /**
     * Makes this span the current one on another thread (a tool call on its own virtual thread), so that what runs
     * there becomes its child. Close the returned scope on that thread; close the span itself where it was started.
     */
    public Scope inScope(Traces traces) {
        return traces.scope(span);
    }

    /** A span made current on a thread until closed. */
    public interface Scope extends AutoCloseable {

        @Override
        void close();
    }

    /** Ends the span (and leaves its scope, when it was opened in one). */
    @Override
    public void close() {
        if (scope != null) {
            scope.close();
        }
        span.end();
    }
}
