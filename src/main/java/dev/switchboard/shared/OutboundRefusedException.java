package dev.switchboard.shared;

import java.net.UnknownHostException;
import java.util.Optional;

import org.springframework.http.HttpStatus;

/**
 * Switchboard refused to connect to a user-configured destination: its host resolves to an address the
 * {@link OutboundAddressPolicy} forbids. A 422 problem of type {@code destination-refused}; the detail names
 * the host and the range, so an operator can decide whether to open it.
 */
public class OutboundRefusedException extends SwitchboardException {

    public static final String SLUG = "destination-refused";

    public OutboundRefusedException(String detail) {
        super(HttpStatus.UNPROCESSABLE_CONTENT, SLUG, detail);
    }

    /**
     * The refusal as HTTP clients' resolvers must report it (an {@link UnknownHostException}, which OkHttp and
     * the JDK client pass on as a connection failure), carrying this exception as its cause.
     */
    public UnknownHostException asLookupFailure() {
        UnknownHostException failure = new UnknownHostException(getBody().getDetail());
        failure.initCause(this);
        return failure;
    }

    /** The refusal somewhere in the cause chain of a failed call, if that is why it failed. */
    public static Optional<OutboundRefusedException> in(Throwable thrown) {
        for (Throwable cause = thrown; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof OutboundRefusedException refused) {
                return Optional.of(refused);
            }
            for (Throwable suppressed : cause.getSuppressed()) {
                if (suppressed instanceof OutboundRefusedException refused) {
                    return Optional.of(refused);
                }
            }
        }
        return Optional.empty();
    }
}
