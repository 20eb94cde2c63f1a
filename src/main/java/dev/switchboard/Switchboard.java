package dev.switchboard;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;

/**
 * Switchboard: a purpose-agnostic agent backend. Personas answer from an organisation's documents and
 * databases through the LLM providers it chooses, with failover between them.
 *
 * <p>Each direct sub-package is a Spring Modulith application module; see {@code docs/architecture.md}.
 */
@SpringBootApplication(exclude = UserDetailsServiceAutoConfiguration.class)
@ConfigurationPropertiesScan
public class Switchboard {

    public static void main(String[] args) {
        SpringApplication.run(Switchboard.class, args);
    }
}
