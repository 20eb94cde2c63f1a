package dev.switchboard.ops.internal.doctor;

/** One check of a live deployment. A request the deployment does not answer fails the check with the reason. */
interface DoctorCheck {

    String name();

    CheckResult run(Deployment deployment) throws Deployment.Unreachable;

    static DoctorCheck of(String name, Body body) {
        return new DoctorCheck() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public CheckResult run(Deployment deployment) throws Deployment.Unreachable {
                return body.run(name, deployment);
            }
        };
    }

    /** A check's logic, given its name for the result. */
    @FunctionalInterface
    interface Body {
        CheckResult run(String name, Deployment deployment) throws Deployment.Unreachable;
    }
}
