package dev.switchboard.ops;

import java.io.PrintStream;
import java.util.List;

import dev.switchboard.ops.internal.cli.DoctorCommand;
import dev.switchboard.ops.internal.doctor.Doctor;

/**
 * The {@code doctor} command's entry points: {@code doctor --url <base> [--api-key <key>] [--include-rate-limit]
 * [--rate-limit-attempts <n>] [--json]} checks a live deployment from outside and exits 0 when no check failed, 1
 * when one did, 2 on a wrong command line. It needs no Spring context and starts no server.
 */
public final class DeploymentDoctor {

    private DeploymentDoctor() {
    }

    /** Runs the doctor on the standard streams; the exit code. */
    public static int command(List<String> args) {
        return DoctorCommand.run(args);
    }

    /** Runs the doctor, printing its report to {@code out} and a usage error to {@code err}; the exit code. */
    public static int run(List<String> args, PrintStream out, PrintStream err) {
        return Doctor.run(args, out, err);
    }
}
