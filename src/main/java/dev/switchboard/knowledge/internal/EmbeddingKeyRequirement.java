package dev.switchboard.knowledge.internal;

import java.util.List;

import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.Environment;

import dev.switchboard.shared.ProductionRequirement;

/**
 * A production embedding key comes from the environment or a mounted secret: one in a configuration file packaged
 * on the class path ({@code application*.yml} in the jar, hence in the repository) is refused.
 */
public final class EmbeddingKeyRequirement implements ProductionRequirement {

    static final ConfigurationPropertyName KEY = ConfigurationPropertyName.of("switchboard.knowledge.embedding.api-key");

    @Override
    public List<String> violations(Environment environment) {
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            ConfigurationProperty property = source.getConfigurationProperty(KEY);
            if (property != null) {
                // The first source that has it is the one that counts.
                return String.valueOf(property.getOrigin()).contains("class path resource")
                        ? List.of("switchboard.knowledge.embedding.api-key is set in a configuration file on the class path ("
                                + "it would be in the repository). Set SWITCHBOARD_KNOWLEDGE_EMBEDDING_APIKEY in the environment "
                                + "or mount it as a secret file instead.")
                        : List.of();
            }
        }
        return List.of();
    }
}
