package dev.switchboard.identity;

import java.util.Optional;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/** Access to the {@link Caller} of the current request. */
public final class Callers {

    private Callers() {
    }

    /** The authenticated caller, if the request has one. */
    public static Optional<Caller> current() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication != null && authentication.getPrincipal() instanceof Caller caller) {
            return Optional.of(caller);
        }
        return Optional.empty();
    }

    /** The authenticated caller; only for code behind authenticated endpoints. */
    public static Caller require() {
        return current().orElseThrow(() -> new IllegalStateException("No authenticated caller"));
    }
}
