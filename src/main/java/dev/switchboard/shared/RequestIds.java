package dev.switchboard.shared;

import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Request ids: accepted from {@value #HEADER} when well-formed, otherwise generated; echoed on every
 * response, written into every problem body and into the log context ({@value #MDC_KEY}).
 */
public final class RequestIds {

    /** The request and response header. */
    public static final String HEADER = "X-Request-Id";

    /** The key under which the id sits in the logging MDC. */
    public static final String MDC_KEY = "requestId";

    /** The request attribute that holds the id for the whole exchange, error dispatches included. */
    public static final String ATTRIBUTE = RequestIds.class.getName() + ".id";

    /** Longest accepted client-supplied id. */
    public static final int MAX_LENGTH = 64;

    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0," + (MAX_LENGTH - 1) + "}");

    private RequestIds() {
    }

    /** The candidate if it is well-formed: 1–64 characters of letters, digits, {@code . _ : -}. */
    public static Optional<String> accept(String candidate) {
        if (candidate == null || !SAFE.matcher(candidate).matches()) {
            return Optional.empty();
        }
        return Optional.of(candidate);
    }

    /** A fresh id (a random UUID). */
    public static String generate() {
        return UUID.randomUUID().toString();
    }

    /** The id of the current exchange, or {@code null} outside one. */
    public static String of(HttpServletRequest request) {
        return (String) request.getAttribute(ATTRIBUTE);
    }
}
