package dev.switchboard.shared;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.env.OriginTrackedMapPropertySource;
import org.springframework.boot.origin.OriginTrackedValue;
import org.springframework.boot.origin.TextResourceOrigin;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;

class PackagedSecretsTests {

    static StandardEnvironment packaged(Map<String, String> settings) {
        Map<String, Object> values = new LinkedHashMap<>();
        settings.forEach((name, value) -> values.put(name, OriginTrackedValue.of(value,
                new TextResourceOrigin(new ClassPathResource("application.yml"), new TextResourceOrigin.Location(1, 1)))));
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addLast(new OriginTrackedMapPropertySource(
                "Config resource 'class path resource [application.yml]'", values));
        return environment;
    }

    @Test
    void everyMapEntryWithAPackagedSecretIsNamedButNeverShown() {
        StandardEnvironment environment = packaged(Map.of(
                "switchboard.llm.providers.primary.api-key", "sk-one",
                "switchboard.llm.providers.backup.api-key", "sk-two",
                "switchboard.llm.providers.backup.base-url", "https://api.example.com"));
        assertThat(PackagedSecrets.violations(environment, "switchboard.llm.providers.*.api-key"))
                .hasSize(2)
                .anySatisfy(v -> assertThat(v).startsWith("switchboard.llm.providers.primary.api-key ")
                        .contains("SWITCHBOARD_LLM_PROVIDERS_PRIMARY_APIKEY"))
                .anySatisfy(v -> assertThat(v).startsWith("switchboard.llm.providers.backup.api-key "))
                .allSatisfy(v -> assertThat(v).doesNotContain("sk-one", "sk-two"));
    }

    @Test
    void referencesToTheEnvironmentAndEmptyValuesAreFine() {
        StandardEnvironment environment = packaged(Map.of(
                "switchboard.llm.providers.primary.api-key", "${OPENAI_API_KEY}",
                "switchboard.llm.providers.backup.api-key", ""));
        assertThat(PackagedSecrets.violations(environment, "switchboard.llm.providers.*.api-key")).isEmpty();
        assertThat(PackagedSecrets.violations(packaged(Map.of("switchboard.metrics.token", "${TOKEN:default-in-repo}")),
                "switchboard.metrics.token")).as("a default written into the file is a secret in the file").hasSize(1);
    }

    @Test
    void aValueFromAHigherSourceWins() {
        StandardEnvironment environment = packaged(Map.of("switchboard.security.jwt-secret", "in-the-jar-0123456789-0123456789"));
        assertThat(PackagedSecrets.violations(environment, "switchboard.security.jwt-secret")).hasSize(1);
        environment.getPropertySources().addFirst(new MapPropertySource("environment",
                Map.of("switchboard.security.jwt-secret", "from-the-environment-0123456789-0123")));
        assertThat(PackagedSecrets.violations(environment, "switchboard.security.jwt-secret")).isEmpty();
    }
}
