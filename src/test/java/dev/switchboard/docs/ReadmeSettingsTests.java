package dev.switchboard.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.AnnotationTypeFilter;

/**
 * The README's configuration table covers every setting: each component of every {@code switchboard.*}
 * {@link ConfigurationProperties} record, nested records, maps ({@code <id>}) and lists ({@code [n]}) included.
 */
class ReadmeSettingsTests {

    private static final Pattern CODE = Pattern.compile("`([^`]+)`");

    @Test
    void everySettingIsInTheReadme() throws IOException {
        Set<String> documented = documented(Files.readString(Path.of("README.md")));
        Set<String> settings = new TreeSet<>();
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(ConfigurationProperties.class));
        for (BeanDefinition candidate : scanner.findCandidateComponents("dev.switchboard")) {
            Class<?> type = load(candidate.getBeanClassName());
            String prefix = type.getAnnotation(ConfigurationProperties.class).value();
            if (prefix.startsWith("switchboard") && type.isRecord()) {
                collect(prefix, type, settings);
            }
        }
        assertThat(settings).as("settings found").hasSizeGreaterThan(40);
        assertThat(settings.stream().filter(s -> !documented.contains(s)).toList()).as("settings missing from README.md").isEmpty();
    }

    /** Setting names in the first column of the README's tables; {@code `a.b.c`, `.d`} also names {@code a.b.d}. */
    static Set<String> documented(String readme) {
        Set<String> names = new TreeSet<>();
        for (String line : readme.lines().filter(l -> l.startsWith("| `")).toList()) {
            String firstColumn = line.substring(1, line.indexOf('|', 1));
            String full = null;
            Matcher code = CODE.matcher(firstColumn);
            while (code.find()) {
                String name = code.group(1);
                if (name.startsWith(".") && full != null) {
                    name = full.substring(0, full.lastIndexOf('.')) + name;
                }
                else {
                    full = name;
                }
                names.add(placeholders(name));
            }
        }
        return names;
    }

    private static void collect(String prefix, Class<?> type, Set<String> settings) {
        for (RecordComponent component : type.getRecordComponents()) {
            String name = prefix + "." + kebab(component.getName());
            Class<?> raw = component.getType();
            Type generic = component.getGenericType();
            if (Map.class.isAssignableFrom(raw)) {
                Class<?> value = argument(generic, 1);
                if (value.isRecord()) {
                    collect(name + ".<*>", value, settings);
                }
                else {
                    settings.add(name + ".<*>");
                }
            }
            else if (Collection.class.isAssignableFrom(raw) && argument(generic, 0).isRecord()) {
                collect(name + "[n]", argument(generic, 0), settings);
            }
            else if (raw.isRecord() && raw.getName().startsWith("dev.switchboard")) {
                collect(name, raw, settings);
            }
            else {
                settings.add(name);
            }
        }
    }

    private static Class<?> argument(Type generic, int index) {
        Type argument = ((ParameterizedType) generic).getActualTypeArguments()[index];
        return argument instanceof ParameterizedType parameterized ? (Class<?>) parameterized.getRawType() : (Class<?>) argument;
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    private static String placeholders(String name) {
        return name.replaceAll("<[^>]+>", "<*>");
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name);
        }
        catch (ClassNotFoundException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
