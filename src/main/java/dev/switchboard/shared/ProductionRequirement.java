package dev.switchboard.shared;

import java.util.List;

import org.springframework.core.env.Environment;

/**
 * A setting that the {@code prod} profile requires. Modules list their implementations in {@code
 * META-INF/spring.factories}; they are checked while the environment is prepared, before anything starts,
 * and Switchboard refuses to start when any reports a violation.
 */
public interface ProductionRequirement {

    /** One message per violation, each saying what to set; empty when the environment is fit for production. */
    List<String> violations(Environment environment);
}
