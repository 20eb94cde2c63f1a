package dev.switchboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Everything the application jar ships is under an OSI-approved open-source licence: read from the CycloneDX SBOM
 * the build makes ({@code target/classes/META-INF/sbom/application.cdx.json}, in the jar too), each component's
 * declared licences must include an approved SPDX id (or an {@code OR} expression with one), or be listed in
 * {@code licences/reviewed.properties} with the licence a reviewer found the project actually ships. Skipped in an
 * offline build, which cannot make the SBOM.
 */
class DependencyLicenceTests {

    private static final Path SBOM = Path.of("target/classes/META-INF/sbom/application.cdx.json");

    /** OSI-approved licences (SPDX ids) the dependencies use or could reasonably use. */
    private static final Set<String> OSI_APPROVED = Set.of("Apache-2.0", "MIT", "MIT-0", "BSD-2-Clause", "BSD-3-Clause", "0BSD",
            "ISC", "EPL-1.0", "EPL-2.0", "MPL-1.1", "MPL-2.0", "LGPL-2.1-only", "LGPL-2.1-or-later", "LGPL-3.0-only",
            "LGPL-3.0-or-later", "CDDL-1.0", "UPL-1.0", "Zlib", "PostgreSQL", "Unicode-3.0", "Unicode-DFS-2016", "BSL-1.0",
            "CC0-1.0", "GPL-2.0-with-classpath-exception", "Python-2.0", "BlueOak-1.0.0", "EDL-1.0");

    /** Licence names that are not SPDX ids but unambiguously name an approved licence. */
    private static final java.util.Map<String, String> NAMES = java.util.Map.of(
            "Mozilla Public License Version 1.1", "MPL-1.1",
            "The Apache Software License, Version 2.0", "Apache-2.0",
            "Apache License, Version 2.0", "Apache-2.0",
            "Eclipse Distribution License - v 1.0", "EDL-1.0");

    @Test
    void everyShippedDependencyHasAnOsiApprovedLicence() throws IOException {
        assumeFalse(Boolean.getBoolean("switchboard.build.offline"), "the SBOM is made only by an online build (mvn without -o)");
        assertThat(SBOM).as("the SBOM the build makes at generate-resources (run through Maven)").exists();
        JsonNode bom = JsonMapper.builder().build().readTree(Files.readString(SBOM));
        Properties reviewed = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/licences/reviewed.properties")) {
            reviewed.load(in);
        }
        List<String> refused = new ArrayList<>();
        int components = 0;
        for (JsonNode component : bom.path("components")) {
            components++;
            String coordinates = component.path("group").asString() + ":" + component.path("name").asString();
            List<String> declared = declared(component);
            boolean approved = declared.stream().anyMatch(DependencyLicenceTests::approved)
                    || declared.stream().anyMatch(licence -> reviewed.containsKey(coordinates + "|" + licence)
                            && OSI_APPROVED.contains(reviewed.getProperty(coordinates + "|" + licence)));
            if (!approved) {
                refused.add(coordinates + ":" + component.path("version").asString() + " " + declared);
            }
        }
        assertThat(components).as("components in the SBOM").isGreaterThan(100);
        assertThat(refused).as("dependencies without an OSI-approved licence (exclude them, or review them into "
                + "licences/reviewed.properties)").isEmpty();
    }

    private static List<String> declared(JsonNode component) {
        List<String> licences = new ArrayList<>();
        for (JsonNode entry : component.path("licenses")) {
            if (entry.has("expression")) {
                licences.add(entry.path("expression").asString());
            }
            else {
                JsonNode licence = entry.path("license");
                licences.add(licence.has("id") ? licence.path("id").asString() : licence.path("name").asString());
            }
        }
        return licences;
    }

    /** An approved id or name, or an expression with {@code OR} of which one side is approved. */
    private static boolean approved(String licence) {
        String expression = licence.replace("(", "").replace(")", "").strip();
        for (String alternative : expression.split(" OR ")) {
            String id = NAMES.getOrDefault(alternative.strip(), alternative.strip());
            if (OSI_APPROVED.contains(id)) {
                return true;
            }
        }
        return false;
    }
}
