package dev.switchboard.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The doctor without a deployment: a host that does not resolve, and the table's shape. */
class DoctorTests {

    @Test
    void aHostThatDoesNotResolveFailsEveryCheckSayingSo() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = DeploymentDoctor.run(List.of("--url", "http://switchboard.invalid", "--api-key", "sb_x"),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream(), true,
                        StandardCharsets.UTF_8));
        String report = out.toString(StandardCharsets.UTF_8);

        assertThat(exit).isEqualTo(1);
        List<String> rows = report.lines().filter(line -> line.contains(" FAIL ")).toList();
        assertThat(rows).hasSize(11).allSatisfy(row -> assertThat(row).contains("http://switchboard.invalid/",
                "cannot resolve the host name"));
        // One column each: the result starts at the same place on every row, after the longest check's name.
        assertThat(report.lines().filter(line -> line.matches("^\\S.*\\s{2}(FAIL|SKIP|RESULT)\\s.*"))
                .map(line -> line.replaceFirst("\\s{2}(FAIL|SKIP|RESULT)\\s.*", "").length()).distinct())
                .containsExactly("CORS refuses unknown origin".length());
        assertThat(report).endsWith("0 passed, 11 failed, 3 skipped\n");
    }
}
