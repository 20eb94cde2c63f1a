package dev.switchboard.knowledge.internal;

import java.util.List;

import org.springframework.core.env.Environment;

import dev.switchboard.shared.PackagedSecrets;
import dev.switchboard.shared.ProductionRequirement;

/**
 * A production embedding key comes from the environment or a mounted secret: one in a configuration file packaged
 * on the class path ({@code application*.yml} in the jar, hence in the repository) is refused.
 */
public final class EmbeddingKeyRequirement implements ProductionRequirement {

    @Override
    public List<String> violations(Environment environment) {
        return PackagedSecrets.violations(environment, "switchboard.knowledge.embedding.api-key");
    }
}
