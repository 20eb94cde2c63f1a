package dev.switchboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

/** The module boundaries of docs/architecture.md hold; writes the module diagrams to target/spring-modulith-docs. */
class ModularityTests {

    private final ApplicationModules modules = ApplicationModules.of(Switchboard.class);

    @Test
    void modulesRespectTheirBoundaries() {
        modules.verify();
    }

    @Test
    void writesModuleDocumentation() {
        Documenter documenter = new Documenter(modules);
        documenter.writeDocumentation();
        assertThat(Path.of("target", "spring-modulith-docs", "components.puml")).isNotEmptyFile();
        assertThat(modules.stream().map(module -> module.getIdentifier().toString()))
                .contains("shared", "database", "identity", "ops");
    }
}
