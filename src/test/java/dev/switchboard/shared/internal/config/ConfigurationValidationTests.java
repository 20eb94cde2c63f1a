package dev.switchboard.shared.internal.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.ConfigurationPropertiesAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.Configuration;

import dev.switchboard.Switchboard;
import dev.switchboard.llm.internal.LlmProperties;

/** Every module's settings record binds its defaults and refuses settings that cannot work, at start-up. */
class ConfigurationValidationTests {

    @Configuration(proxyBeanMethods = false)
    @ConfigurationPropertiesScan(basePackageClasses = Switchboard.class)
    static class AllProperties {
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ConfigurationPropertiesAutoConfiguration.class,
                    ValidationAutoConfiguration.class))
            .withUserConfiguration(AllProperties.class);

    @Test
    void defaultsBind() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            SwitchboardProperties properties = context.getBean(SwitchboardProperties.class);
            assertThat(properties.dataDir().normalize()).isEqualTo(java.nio.file.Path.of("data"));
            assertThat(properties.http().maxBody().toMegabytes()).isEqualTo(1);
        });
    }

    @Test
    void shortJwtSecretIsRefused() {
        runner.withPropertyValues("switchboard.security.jwt-secret=too-short").run(context -> assertThat(context).getFailure().rootCause()
                .hasMessageContaining("at least 32 bytes"));
    }

    @Test
    void wildcardCorsOriginIsRefused() {
        runner.withPropertyValues("switchboard.security.cors.allowed-origins=*").run(context -> assertThat(context).getFailure().rootCause()
                .hasMessageContaining("wildcards are not allowed"));
    }

    @Test
    void llmProvidersAreChecked() {
        runner.withPropertyValues("switchboard.llm.providers.primary.kind=anthropic").run(context -> assertThat(context).getFailure()
                .rootCause().hasMessageContaining("needs an api-key"));
        runner.withPropertyValues("switchboard.llm.providers.primary.kind=martian").run(context -> assertThat(context).getFailure()
                .rootCause().hasMessageContaining("martian"));
        runner.withPropertyValues("switchboard.llm.providers.local-ollama.kind=ollama",
                "switchboard.llm.providers.local-ollama.models[0].name=llama3.1:8b",
                "switchboard.llm.providers.local-ollama.models[0].context-length=8192").run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(LlmProperties.class).providers().get("local-ollama").models().getFirst().name())
                            .isEqualTo("llama3.1:8b");
                });
    }

    @Test
    void nonPositiveBodyLimitIsRefused() {
        runner.withPropertyValues("switchboard.http.max-body=0").run(context -> assertThat(context).getFailure().rootCause()
                .hasMessageContaining("max-body must be positive"));
    }

    @Test
    void shortMetricsTokenIsRefused() {
        runner.withPropertyValues("switchboard.metrics.token=short").run(context -> assertThat(context).getFailure().rootCause()
                .hasMessageContaining("at least 16 characters"));
    }

    @Test
    void outOfRangeEmbeddedPortIsRefused() {
        runner.withPropertyValues("switchboard.database.embedded.port=70000").run(context -> assertThat(context).getFailure()
                .hasStackTraceContaining("switchboard.database.embedded.port"));
    }
}
