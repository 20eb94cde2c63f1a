package dev.switchboard.llm.internal;

import java.util.List;

import org.springframework.core.env.Environment;

import dev.switchboard.shared.PackagedSecrets;
import dev.switchboard.shared.ProductionRequirement;

/** A configured provider's key comes from the environment or a mounted secret, never a packaged file. */
public final class ProviderKeyRequirement implements ProductionRequirement {

    @Override
    public List<String> violations(Environment environment) {
        return PackagedSecrets.violations(environment, "switchboard.llm.providers.*.api-key");
    }
}
