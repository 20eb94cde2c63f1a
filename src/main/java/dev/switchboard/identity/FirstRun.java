package dev.switchboard.identity;

/**
 * The first start of a server without any user: the web app's first-run page creates the first admin here instead of
 * the {@code switchboard.bootstrap.*} settings. Open only while no user exists at all and
 * {@code switchboard.bootstrap.first-run-enabled} is on, and only to whoever has the server's set-up code, which the
 * server writes to its log at start-up: reaching the server first is not enough to take it over.
 */
public interface FirstRun {

    /** Whether the first admin may be created now: first run enabled and no user exists. */
    boolean open();

    /**
     * Creates the first tenant and its admin, once: of concurrent calls (on any replica) at most one creates anything.
     * A password the policy refuses is a {@code weak-password} problem (400).
     */
    Outcome createAdmin(String setupCode, String email, String password);

    /** What became of a first-run request. */
    enum Outcome {
        /** The admin exists and may sign in. */
        CREATED,
        /** The set-up code is not this server's. */
        WRONG_CODE,
        /** A user exists already (another request was first), or first run is disabled: nothing was created. */
        CLOSED
    }
}
