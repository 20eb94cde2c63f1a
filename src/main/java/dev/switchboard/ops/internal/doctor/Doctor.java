package dev.switchboard.ops.internal.doctor;

import java.io.PrintStream;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import javax.net.ssl.SSLContext;

/**
 * The {@code doctor} command: checks a live deployment over HTTP and reports each check as PASS, FAIL or SKIP
 * with its reason. No Spring context, only the JDK's HTTP client, so it starts in a moment.
 */
public final class Doctor {

    /** Every check passed or was skipped. */
    public static final int OK = 0;

    /** At least one check failed. */
    public static final int FAILED = 1;

    /** The command line was wrong; nothing was checked. */
    public static final int USAGE = 2;

    private Doctor() {
    }

    /** Runs the doctor with {@code args} (after the word {@code doctor}), printing to {@code out} and {@code err}. */
    public static int run(List<String> args, PrintStream out, PrintStream err) {
        DoctorOptions options;
        try {
            options = DoctorOptions.parse(args);
        }
        catch (IllegalArgumentException ex) {
            err.println(ex.getMessage());
            return USAGE;
        }
        DoctorReport report = examine(options);
        out.print(options.json() ? report.json() : report.table());
        out.flush();
        return report.failed() ? FAILED : OK;
    }

    static DoctorReport examine(DoctorOptions options) {
        try {
            return examine(options, SSLContext.getDefault());
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("this JDK has no default TLS context", ex);
        }
    }

    static DoctorReport examine(DoctorOptions options, SSLContext tls) {
        List<CheckResult> results = new ArrayList<>();
        try (Deployment deployment = new Deployment(options, tls)) {
            Stream.of(EdgeChecks.all(), CallerChecks.all(), List.of(RateLimitCheck.check())).flatMap(List::stream)
                    .forEach(check -> results.add(run(check, deployment)));
        }
        return new DoctorReport(options.base().toString(), results);
    }

    private static CheckResult run(DoctorCheck check, Deployment deployment) {
        try {
            return check.run(deployment);
        }
        catch (Deployment.Unreachable ex) {
            return CheckResult.fail(check.name(), ex.getMessage());
        }
    }
}
