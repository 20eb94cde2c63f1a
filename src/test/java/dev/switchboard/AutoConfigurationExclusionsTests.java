package dev.switchboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.annotation.ImportCandidates;

class AutoConfigurationExclusionsTests {

    @Test
    void everyExcludedNameIsAnAutoConfigurationOnTheClassPath() {
        // Spring Boot ignores an excluded name that is not on the class path: a renamed auto-configuration would
        // otherwise come back at every start without anyone noticing.
        ClassLoader classLoader = getClass().getClassLoader();
        List<String> candidates = ImportCandidates.load(AutoConfiguration.class, classLoader).getCandidates();
        String[] excluded = Switchboard.class.getAnnotation(SpringBootApplication.class).excludeName();

        assertThat(excluded).isNotEmpty();
        assertThat(candidates).contains(excluded);
    }
}
