package dev.switchboard.ops.internal.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.swagger.v3.oas.annotations.Operation;

/**
 * Every audit action the code writes is named in {@code GET /api/audit}'s description and in docs/operations.md "Audit
 * log": the action names are found in the sources (string literals of the audited areas; trace span names, which share
 * the {@code sql.} prefix, are left out).
 */
class AuditActionsDocumentedTests {

    private static final Pattern ACTION = Pattern.compile(
            "\"((?:auth|key|user|tenant|oauth|provider|mcp_server|sql_connection|persona|sql)\\.[a-z_]+)\"");

    @Test
    void everyAuditedActionIsDescribedAndDocumented() throws IOException {
        Set<String> actions = actionsInSources();
        assertThat(actions).as("actions found").hasSizeGreaterThan(25).contains("auth.login", "persona.restored", "mcp_server.deleted",
                "sql_connection.updated", "provider.created", "sql.asked");

        String description = Stream.of(AuditController.class.getDeclaredMethods()).filter(method -> method.getName().equals("entries"))
                .findFirst().orElseThrow().getAnnotation(Operation.class).description();
        assertThat(actions.stream().filter(action -> !description.contains(action)).toList()).as("missing from the API description")
                .isEmpty();

        String operations = Files.readString(Path.of("docs/operations.md"));
        int start = operations.indexOf("## Audit log");
        String section = operations.substring(start, operations.indexOf("\n## ", start + 1));
        assertThat(actions.stream().filter(action -> !section.contains("`" + action + "`")).toList())
                .as("missing from docs/operations.md \"Audit log\"").isEmpty();
    }

    private static Set<String> actionsInSources() throws IOException {
        Set<String> actions = new TreeSet<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path file : files.filter(path -> path.toString().endsWith(".java")).toList()) {
                for (String line : Files.readAllLines(file)) {
                    if (line.contains("traces.start(")) {
                        continue;
                    }
                    Matcher matcher = ACTION.matcher(line);
                    while (matcher.find()) {
                        actions.add(matcher.group(1));
                    }
                }
            }
        }
        return actions;
    }
}
