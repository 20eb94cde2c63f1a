package dev.switchboard.shared.internal.config;

import java.util.List;

/** The {@code prod} profile was asked to start with settings it refuses; lists each with what to set. */
public class ProductionSettingsException extends IllegalStateException {

    private final List<String> violations;

    ProductionSettingsException(List<String> violations) {
        super("The prod profile refuses to start:\n - " + String.join("\n - ", violations));
        this.violations = List.copyOf(violations);
    }

    public List<String> violations() {
        return violations;
    }
}
