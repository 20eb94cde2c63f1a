package dev.switchboard.shared.internal.config;

import java.util.List;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.core.io.support.SpringFactoriesLoader;

import dev.switchboard.shared.ProductionRequirement;

/**
 * Refuses to start the {@code prod} profile on development defaults or without settings production needs.
 * It runs while the environment is prepared — before the embedded database or any connection — and reports
 * every violation of every module's {@link ProductionRequirement} at once.
 */
public class ProductionSettingsGuard implements EnvironmentPostProcessor, Ordered {

    /** The profile that turns the guard on. */
    public static final String PROFILE = "prod";

    private final List<ProductionRequirement> requirements;

    public ProductionSettingsGuard() {
        this(SpringFactoriesLoader.loadFactories(ProductionRequirement.class,
                ProductionSettingsGuard.class.getClassLoader()));
    }

    ProductionSettingsGuard(List<ProductionRequirement> requirements) {
        this.requirements = List.copyOf(requirements);
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!environment.acceptsProfiles(Profiles.of(PROFILE))) {
            return;
        }
        List<String> violations = violations(environment);
        if (!violations.isEmpty()) {
            throw new ProductionSettingsException(violations);
        }
    }

    /** The messages of every requirement the environment breaks. */
    List<String> violations(Environment environment) {
        return requirements.stream().flatMap(requirement -> requirement.violations(environment).stream()).toList();
    }

    @Override
    public int getOrder() {
        // After the config-data processor has loaded application*.yml and activated profiles.
        return Ordered.LOWEST_PRECEDENCE;
    }
}
