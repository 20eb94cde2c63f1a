package dev.switchboard.knowledge.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.env.OriginTrackedMapPropertySource;
import org.springframework.boot.origin.OriginTrackedValue;
import org.springframework.boot.origin.TextResourceOrigin;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ClassPathResource;

class EmbeddingKeyRequirementTests {

    final EmbeddingKeyRequirement requirement = new EmbeddingKeyRequirement();

    static StandardEnvironment withPackagedKey() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addLast(new OriginTrackedMapPropertySource("Config resource 'class path resource "
                + "[application.yml]'", Map.of("switchboard.knowledge.embedding.api-key", OriginTrackedValue.of("sk-in-the-repo",
                        new TextResourceOrigin(new ClassPathResource("application.yml"), new TextResourceOrigin.Location(3, 4))))));
        return environment;
    }

    @Test
    void aKeyInAPackagedConfigurationFileIsRefusedWithoutShowingIt() {
        assertThat(requirement.violations(withPackagedKey())).singleElement().asString()
                .contains("SWITCHBOARD_KNOWLEDGE_EMBEDDING_APIKEY").doesNotContain("sk-in-the-repo");
    }

    @Test
    void aKeyFromTheEnvironmentOrNoKeyIsFine() {
        StandardEnvironment environment = withPackagedKey();
        environment.getPropertySources().addFirst(new SystemEnvironmentPropertySource("systemEnvironment",
                Map.of("SWITCHBOARD_KNOWLEDGE_EMBEDDING_APIKEY", "sk-from-env")));
        assertThat(requirement.violations(environment)).isEmpty();
        assertThat(requirement.violations(new StandardEnvironment())).isEmpty();
    }
}
