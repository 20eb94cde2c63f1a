package dev.switchboard.shared;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.Environment;

/**
 * Finds secrets written into a configuration file packaged on the class path ({@code application*.yml} in the
 * jar, hence in the repository and every image built from it). Secrets belong in the environment or mounted files;
 * a packaged value that only refers to one ({@code ${OPENAI_API_KEY}}) is fine. Where several sources set a
 * setting, the one that counts (the first) decides. Messages name the setting and never show the value.
 */
public final class PackagedSecrets {

    /** A value that is only a reference to another setting or variable, with no default. */
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{[^:}]+}");

    private PackagedSecrets() {
    }

    /**
     * One message per secret setting found in a packaged file.
     *
     * @param settings canonical setting names; {@code *} stands for one element of a map key
     *        ({@code switchboard.llm.providers.*.api-key})
     */
    public static List<String> violations(Environment environment, String... settings) {
        List<String> violations = new ArrayList<>();
        for (String setting : settings) {
            for (ConfigurationPropertyName name : names(environment, setting)) {
                if (packaged(environment, name)) {
                    violations.add(name + " is set in a configuration file packaged on the class path (so it is in the "
                            + "repository and in every image). Set " + environmentVariable(name) + " in the environment or "
                            + "mount it as a secret file (spring.config.import=configtree:/run/secrets/) instead.");
                }
            }
        }
        return violations;
    }

    /** The names the setting stands for in this environment: itself, or every map key its {@code *} matches. */
    private static Set<ConfigurationPropertyName> names(Environment environment, String setting) {
        if (!setting.contains("*")) {
            return Set.of(ConfigurationPropertyName.of(setting));
        }
        Pattern pattern = Pattern.compile(Pattern.quote(setting).replace("*", "\\E[^.\\[\\]]+\\Q"));
        Set<ConfigurationPropertyName> names = new LinkedHashSet<>();
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            if (source instanceof IterableConfigurationPropertySource iterable) {
                iterable.stream().filter(name -> pattern.matcher(name.toString()).matches()).forEach(names::add);
            }
        }
        return names;
    }

    private static boolean packaged(Environment environment, ConfigurationPropertyName name) {
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            ConfigurationProperty property = source.getConfigurationProperty(name);
            if (property != null) {
                String value = String.valueOf(property.getValue()).strip();
                return String.valueOf(property.getOrigin()).contains("class path resource") && !value.isEmpty()
                        && !REFERENCE.matcher(value).matches();
            }
        }
        return false;
    }

    private static String environmentVariable(ConfigurationPropertyName name) {
        return name.toString().toUpperCase(java.util.Locale.ROOT).replace("-", "").replace('.', '_');
    }
}
