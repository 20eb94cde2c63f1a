package dev.switchboard.shared;

import java.net.URI;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/**
 * The problem types (RFC 9457) Switchboard answers with. A type is a stable URN, {@code
 * urn:switchboard:problem:<slug>}; {@code docs/errors.md} lists every slug. Generic types follow the HTTP
 * status; modules add their own slugs through {@link SwitchboardException}.
 */
public final class Problems {

    /** Prefix of every problem type URI. */
    public static final String TYPE_PREFIX = "urn:switchboard:problem:";

    private static final Map<Integer, String> GENERIC_SLUGS = Map.ofEntries(
            Map.entry(400, "bad-request"),
            Map.entry(401, "unauthorized"),
            Map.entry(403, "forbidden"),
            Map.entry(404, "not-found"),
            Map.entry(405, "method-not-allowed"),
            Map.entry(406, "not-acceptable"),
            Map.entry(409, "conflict"),
            Map.entry(410, "gone"),
            Map.entry(413, "payload-too-large"),
            Map.entry(415, "unsupported-media-type"),
            Map.entry(422, "unprocessable-content"),
            Map.entry(429, "too-many-requests"),
            Map.entry(500, "internal-error"),
            Map.entry(502, "bad-gateway"),
            Map.entry(503, "service-unavailable"),
            Map.entry(504, "gateway-timeout"));

    private Problems() {
    }

    /** The type URI for a slug, e.g. {@code validation} → {@code urn:switchboard:problem:validation}. */
    public static URI type(String slug) {
        return URI.create(TYPE_PREFIX + slug);
    }

    /** The generic slug for a status: {@code 404} → {@code not-found}; unknown statuses map by class. */
    public static String genericSlug(HttpStatusCode status) {
        String slug = GENERIC_SLUGS.get(status.value());
        if (slug != null) {
            return slug;
        }
        return status.is5xxServerError() ? "internal-error" : "bad-request";
    }

    /** A problem of the given slug with the status's reason phrase as title. */
    public static ProblemDetail of(HttpStatusCode status, String slug, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(type(slug));
        problem.setTitle(title(status));
        return problem;
    }

    /** A problem of the status's generic type. */
    public static ProblemDetail of(HttpStatusCode status, String detail) {
        return of(status, genericSlug(status), detail);
    }

    /**
     * A detail for a status when nothing more specific is known: it never depends on the failure, so it
     * cannot leak one.
     */
    public static String genericDetail(HttpStatusCode status) {
        return switch (status.value()) {
            case 400 -> "The request could not be understood; check its URL, headers and body.";
            case 401 -> "Authentication is required.";
            case 403 -> "You are not allowed to do this.";
            case 404 -> "There is no such endpoint or resource.";
            case 405 -> "This method is not supported on this endpoint.";
            case 413 -> "The request is too large.";
            case 414 -> "The request URL is too long.";
            case 431 -> "The request headers are too large.";
            default -> status.is5xxServerError()
                    ? "Something went wrong on our side. Quote the request id if you report it."
                    : "The request could not be processed.";
        };
    }

    /** The reason phrase of a status ("Not Found"), or "Error" for a non-standard one. */
    public static String title(HttpStatusCode status) {
        HttpStatus known = HttpStatus.resolve(status.value());
        return known != null ? known.getReasonPhrase() : "Error";
    }
}
