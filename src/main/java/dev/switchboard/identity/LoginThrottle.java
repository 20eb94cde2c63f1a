package dev.switchboard.identity;

import java.util.Optional;

/**
 * Decides whether a sign-in attempt may proceed, per client address and per account, before its password is
 * checked. Implemented by the metering module; without one, sign-ins are not throttled.
 */
public interface LoginThrottle {

    /** Empty to proceed; otherwise how long to wait and the limit that refused. */
    Optional<Throttled> check(String email, String address);

    /** A refused attempt. */
    record Throttled(long retryAfterSeconds, long limit, long resetSeconds, String reason) {
    }
}
