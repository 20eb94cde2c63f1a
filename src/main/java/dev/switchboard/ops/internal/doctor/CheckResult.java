package dev.switchboard.ops.internal.doctor;

/** One line of the doctor's report: which check, how it came out, and why. */
record CheckResult(String check, Outcome result, String reason) {

    /** How a check came out. A {@link #SKIP} says why it could not be checked; only a {@link #FAIL} fails the run. */
    enum Outcome {
        PASS, FAIL, SKIP
    }

    static CheckResult pass(String check, String reason) {
        return new CheckResult(check, Outcome.PASS, reason);
    }

    static CheckResult fail(String check, String reason) {
        return new CheckResult(check, Outcome.FAIL, reason);
    }

    static CheckResult skip(String check, String reason) {
        return new CheckResult(check, Outcome.SKIP, reason);
    }
}
