package dev.switchboard.ops.internal.cli;

import java.util.List;

import dev.switchboard.ops.internal.doctor.Doctor;

/** {@code java -jar switchboard.jar doctor …}: the doctor on the process's standard streams. */
public final class DoctorCommand {

    private DoctorCommand() {
    }

    /** The exit code of the doctor run with {@code args} (the words after {@code doctor}). */
    public static int run(List<String> args) {
        return Doctor.run(args, System.out, System.err);
    }
}
