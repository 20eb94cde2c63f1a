package dev.switchboard.database.internal;

import java.util.List;

import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

import dev.switchboard.shared.ProductionRequirement;

/** Production runs against an external PostgreSQL: the embedded one is for a single machine. */
public final class ExternalDatabaseRequirement implements ProductionRequirement {

    @Override
    public List<String> violations(Environment environment) {
        if (StringUtils.hasText(environment.getProperty("spring.datasource.url"))) {
            return List.of();
        }
        return List.of("spring.datasource.url is not set: production uses an external PostgreSQL 15+. Set "
                + "SPRING_DATASOURCE_URL (e.g. jdbc:postgresql://db:5432/switchboard), SPRING_DATASOURCE_USERNAME "
                + "and SPRING_DATASOURCE_PASSWORD.");
    }
}
