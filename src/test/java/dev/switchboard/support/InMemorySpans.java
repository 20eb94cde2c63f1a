package dev.switchboard.support;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;

/**
 * Records the application's spans in memory, for tests that read them back ({@code @Import(InMemorySpans.class)}): a
 * span exporter bean makes tracing record (the sampler drops everything when there is no exporter). Pair it with a
 * short {@code management.opentelemetry.tracing.export.schedule-delay} so that spans reach the exporter soon.
 */
@TestConfiguration(proxyBeanMethods = false)
public class InMemorySpans {

    @Bean
    InMemorySpanExporter inMemorySpanExporter() {
        return InMemorySpanExporter.create();
    }
}
