package dev.switchboard.shared.internal.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Prints the refused production settings as Spring Boot's "APPLICATION FAILED TO START" report. */
class ProductionSettingsFailureAnalyzer extends AbstractFailureAnalyzer<ProductionSettingsException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ProductionSettingsException cause) {
        return new FailureAnalysis(
                "Switchboard's prod profile refuses to start:\n - " + String.join("\n - ", cause.violations()),
                "Set the settings above (environment variables or files mounted with spring.config.import="
                        + "configtree:/run/secrets/), or run without the prod profile for development.",
                cause);
    }
}
