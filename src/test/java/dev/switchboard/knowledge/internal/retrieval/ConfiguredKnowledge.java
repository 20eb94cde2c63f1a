package dev.switchboard.knowledge.internal.retrieval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

import dev.switchboard.knowledge.internal.KnowledgeProperties;

/** The knowledge settings as {@code application.yml} ships them, so tests check the configured values, not copies. */
final class ConfiguredKnowledge {

    private ConfiguredKnowledge() {
    }

    static KnowledgeProperties properties() {
        try {
            List<PropertySource<?>> sources = new YamlPropertySourceLoader().load("application.yml", new ClassPathResource(
                    "application.yml"));
            return new Binder(ConfigurationPropertySources.from(sources)).bindOrCreate("switchboard.knowledge", KnowledgeProperties.class);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
