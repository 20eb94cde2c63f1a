package dev.switchboard.shared.internal.tracing;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.SdkTracerProviderBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;

/**
 * Tracing costs next to nothing unless spans go somewhere. Spring Boot creates the OTLP exporter only when
 * {@code management.opentelemetry.tracing.export.otlp.endpoint} (or {@code OTEL_EXPORTER_OTLP_ENDPOINT} /
 * {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT}, which Boot maps onto it) is set; without any exporter this replaces the
 * sampler with one that records nothing, so spans are ids only: no attributes kept, nothing queued. Trace ids are
 * still made (or taken from the caller's {@code traceparent}) for the logs and problem bodies.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TracingProperties.class)
class TracingConfiguration {

    private static final Logger log = LoggerFactory.getLogger(TracingConfiguration.class);

    @Bean
    SdkTracerProviderBuilderCustomizer recordOnlyWhenExporting(ObjectProvider<SpanExporter> exporters) {
        return builder -> {
            if (exporters.stream().findAny().isEmpty()) {
                builder.setSampler(Sampler.alwaysOff());
            }
            else {
                log.info("Exporting traces ({})", exporters.stream().map(e -> e.getClass().getSimpleName()).toList());
            }
        };
    }
}
