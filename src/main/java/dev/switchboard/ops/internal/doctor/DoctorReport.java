package dev.switchboard.ops.internal.doctor;

import java.util.List;
import java.util.stream.Collectors;

/** The doctor's results as an aligned text table (check, result, reason) or as JSON for machines. */
record DoctorReport(String url, List<CheckResult> checks) {

    boolean failed() {
        return checks.stream().anyMatch(check -> check.result() == CheckResult.Outcome.FAIL);
    }

    long count(CheckResult.Outcome outcome) {
        return checks.stream().filter(check -> check.result() == outcome).count();
    }

    String table() {
        int width = Math.max("CHECK".length(), checks.stream().mapToInt(check -> check.check().length()).max().orElse(0));
        String format = "%-" + width + "s  %-6s  %s";
        String rows = checks.stream().map(check -> String.format(format, check.check(), check.result(), check.reason()))
                .collect(Collectors.joining("\n"));
        return "Switchboard doctor: " + url + "\n\n" + String.format(format, "CHECK", "RESULT", "REASON").stripTrailing() + "\n"
                + rows + "\n\n" + summary() + "\n";
    }

    String summary() {
        return count(CheckResult.Outcome.PASS) + " passed, " + count(CheckResult.Outcome.FAIL) + " failed, "
                + count(CheckResult.Outcome.SKIP) + " skipped";
    }

    String json() {
        return Answers.toJson(new JsonReport(url, !failed(), checks)) + "\n";
    }

    private record JsonReport(String url, boolean ok, List<CheckResult> checks) {
    }
}
