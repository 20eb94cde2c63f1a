package dev.switchboard.shared.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

import dev.switchboard.support.ApiTestSupport;
import dev.switchboard.support.HttpTestClient;
import dev.switchboard.support.IntegrationTest;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.trace.export.SpanExporter;

/**
 * With no endpoint configured (the default, and this context's), no exporter exists and spans are not recorded — yet
 * the caller's {@code traceparent} is followed, so its trace id still reaches the problem body (and the logs).
 */
@IntegrationTest
class TracingOffIntegrationTests extends ApiTestSupport {

    @Autowired
    ApplicationContext context;

    @Autowired
    Tracer tracer;

    @Test
    void noEndpointMeansNoExporterAndNothingRecorded() {
        assertThat(context.getBeansOfType(SpanExporter.class)).isEmpty();
        Span span = tracer.spanBuilder("probe").startSpan();
        try {
            assertThat(span.isRecording()).isFalse();
            assertThat(span.getSpanContext().isValid()).as("ids still exist, for the logs").isTrue();
        }
        finally {
            span.end();
        }
    }

    @Test
    void theCallersTraceIdReachesTheProblemBodyEvenWhenNotRecording() {
        String traceId = TracingIntegrationTests.hex(16);
        HttpResponse<String> response = http.send(http.request("/api/personas/no-such-persona")
                .header("traceparent", "00-" + traceId + "-" + TracingIntegrationTests.hex(8) + "-01").GET().build());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(HttpTestClient.json(response).path("traceId").asString()).isEqualTo(traceId);
    }
}
