package dev.switchboard.knowledge.internal;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** The replaced cosine cut-off fails the start instead of being ignored. */
class RetiredRelevanceThresholdTests {

    @Test
    void theRetiredSettingFailsTheStartWithWhatReplacedIt() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new SystemEnvironmentPropertySource("env",
                Map.of("SWITCHBOARD_KNOWLEDGE_RELEVANCE_THRESHOLD", "0.5")));

        assertThatIllegalStateException().isThrownBy(() -> KnowledgeConfiguration.refuseRetiredRelevanceThreshold(environment))
                .withMessageContaining("switchboard.knowledge.relevance.*").withMessageContaining("Remove the setting");
    }

    @Test
    void theNewSettingsAreFine() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("yml", Map.of("switchboard.knowledge.relevance.threshold", "0.9")));

        assertThatCode(() -> KnowledgeConfiguration.refuseRetiredRelevanceThreshold(environment)).doesNotThrowAnyException();
    }
}
