package dev.switchboard.ops.internal;

import java.util.List;

import org.springframework.core.env.Environment;

import dev.switchboard.shared.PackagedSecrets;
import dev.switchboard.shared.ProductionRequirement;

/** The token that opens {@code /metrics} to remote scrapers is a secret: never in a packaged file. */
public final class MetricsTokenRequirement implements ProductionRequirement {

    @Override
    public List<String> violations(Environment environment) {
        return PackagedSecrets.violations(environment, "switchboard.metrics.token");
    }
}
