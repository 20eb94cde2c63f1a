package dev.switchboard.llm.internal.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.switchboard.llm.internal.LlmProperties;
import dev.switchboard.shared.OutboundAddressPolicy;
import dev.switchboard.shared.OutboundConnections;
import dev.switchboard.shared.OutboundResolver;

/** A configured provider the outbound policy refuses is named at start-up, with the setting that opens it. */
@ExtendWith(OutputCaptureExtension.class)
class ConfiguredDestinationsCheckTests {

    static ProviderDirectory directory(String baseUrl) {
        LlmProperties.Provider provider = new LlmProperties.Provider(ProviderKind.OLLAMA, baseUrl, null, List.of(),
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), 0);
        LlmProperties properties = new LlmProperties("", Map.of("internal", provider),
                new LlmProperties.Retry(Duration.ofMillis(20), Duration.ofMillis(100), Duration.ofSeconds(2)),
                new LlmProperties.Breaker(50, 10, 100, Duration.ofSeconds(30), 1));
        return new ProviderDirectory(properties, null, null);
    }

    @Test
    void aRefusedConfiguredProviderIsWarnedAbout(CapturedOutput output) {
        ProviderDirectory providers = directory("http://10.20.0.5:11434");
        OutboundConnections strict = new OutboundConnections(OutboundAddressPolicy.strict(), OutboundResolver.SYSTEM);

        new ConfiguredDestinationsCheck(providers, strict).check(providers.configured().get("internal"));

        assertThat(output).contains("LLM provider internal", "private-use network 10.0.0.0/8",
                "switchboard.security.outbound.allowed-networks", "will be refused");
    }

    @Test
    void anOpenedRangeIsNotWarnedAbout(CapturedOutput output) {
        ProviderDirectory providers = directory("http://10.20.0.5:11434");
        OutboundConnections opened = new OutboundConnections(new OutboundAddressPolicy(List.of("10.20.0.0/16")),
                OutboundResolver.SYSTEM);

        new ConfiguredDestinationsCheck(providers, opened).check(providers.configured().get("internal"));

        assertThat(output).doesNotContain("will be refused");
    }
}
