package dev.switchboard.sql.internal.guard;

/**
 * Ends the analysis of a statement at the first thing refused. Private to the guard: the walk over the syntax
 * tree is deep and recursive, and unwinding it with a value at every level would bury the rules; {@link SqlGuard}
 * turns it into a {@link GuardVerdict.Refused} before anyone else sees it. No stack trace is recorded.
 */
final class GuardRefusal extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final RefusalKind kind;

    GuardRefusal(RefusalKind kind, String reason) {
        super(reason, null, false, false);
        this.kind = kind;
    }

    GuardVerdict.Refused verdict() {
        return new GuardVerdict.Refused(this.kind, getMessage());
    }

}
