package dev.switchboard.shared.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.switchboard.fakellm.Behaviour;
import dev.switchboard.fakellm.FakeLlmServer;
import dev.switchboard.support.Accounts.Session;
import dev.switchboard.support.ApiTestSupport;
import dev.switchboard.support.IntegrationTest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span;

/**
 * Traces exported over OTLP/HTTP to a real receiver ({@link OtlpReceiver}), as configured by the one documented
 * setting, and decoded from the wire: the service's resource, the turn's spans with their GenAI attributes, and —
 * with {@code switchboard.tracing.capture-content} on — the prompt and answer, masked like the logs.
 */
@IntegrationTest
class OtlpExportIntegrationTests extends ApiTestSupport {

    static final OtlpReceiver RECEIVER = OtlpReceiver.start();
    static final FakeLlmServer MODEL = FakeLlmServer.start();

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        registry.add("management.opentelemetry.tracing.export.otlp.endpoint", RECEIVER::endpoint);
        registry.add("management.opentelemetry.tracing.export.schedule-delay", () -> "50ms");
        registry.add("switchboard.tracing.capture-content", () -> "true");
        registry.add("switchboard.llm.providers.model.kind", () -> "openai");
        registry.add("switchboard.llm.providers.model.base-url", () -> MODEL.baseUrl() + "/v1");
        registry.add("switchboard.llm.providers.model.api-key", () -> "test-key");
        registry.add("switchboard.llm.default-chain", () -> "model:gpt-otlp");
    }

    @AfterAll
    static void stop() {
        RECEIVER.close();
        MODEL.close();
    }

    @Test
    void aTurnArrivesAtTheReceiverWithRedactedContent() {
        MODEL.reset().always(Behaviour.reply("Write to alice.doe@example.com, she books the trips."));
        Session admin = accounts.newTenantAdmin();
        HttpResponse<String> persona = accounts.send(admin, "POST", "/api/personas",
                "{\"slug\":\"travel\",\"name\":\"Travel\",\"instructions\":\"You book trips.\"}");
        assertThat(persona.statusCode()).as(persona.body()).isEqualTo(201);
        String traceId = TracingIntegrationTests.hex(16);

        HttpResponse<String> response = http.send(http.request("/api/chat").header("Authorization", admin.bearer())
                .header("Content-Type", "application/json").header("traceparent", "00-" + traceId + "-" + TracingIntegrationTests.hex(8)
                        + "-01")
                .POST(HttpRequest.BodyPublishers.ofString("{\"agent\":\"travel\",\"message\":\"My card is 4111 1111 1111 1111, "
                        + "who books trains?\"}"))
                .build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);

        Span model = await().atMost(Duration.ofSeconds(15)).until(() -> spans(traceId).stream()
                .filter(span -> span.getName().equals("chat gpt-otlp")).findFirst(), Optional::isPresent).orElseThrow();
        await().atMost(Duration.ofSeconds(15)).until(() -> spans(traceId).stream().anyMatch(span -> span
                .getKind() == Span.SpanKind.SPAN_KIND_SERVER));
        assertThat(RECEIVER.contentTypes()).allMatch(type -> type.startsWith("application/x-protobuf"));
        ResourceSpans resource = RECEIVER.received().getFirst();
        assertThat(attributes(resource.getResource().getAttributesList()).get("service.name").getStringValue()).isEqualTo("switchboard");

        Map<String, AnyValue> attributes = attributes(model.getAttributesList());
        assertThat(attributes.get("gen_ai.operation.name").getStringValue()).isEqualTo("chat");
        assertThat(attributes.get("gen_ai.provider.name").getStringValue()).isEqualTo("openai");
        assertThat(attributes.get("gen_ai.usage.output_tokens").getIntValue()).isPositive();
        String prompt = attributes.get("gen_ai.input.messages").getStringValue();
        String answer = attributes.get("gen_ai.output.messages").getStringValue();
        assertThat(prompt).contains("who books trains?").contains("You book trips.").doesNotContain("4111 1111 1111 1111");
        assertThat(answer).contains("she books the trips").doesNotContain("alice.doe@example.com");
        assertThat(HexFormat.of().formatHex(model.getTraceId().toByteArray())).isEqualTo(traceId);
    }

    static List<Span> spans(String traceId) {
        return RECEIVER.received().stream().flatMap(resource -> resource.getScopeSpansList().stream())
                .flatMap(scope -> scope.getSpansList().stream())
                .filter(span -> HexFormat.of().formatHex(span.getTraceId().toByteArray()).equals(traceId)).toList();
    }

    static Map<String, AnyValue> attributes(List<KeyValue> values) {
        return values.stream().collect(Collectors.toMap(KeyValue::getKey, KeyValue::getValue, (a, b) -> b));
    }
}
