package dev.switchboard.shared;

import org.springframework.http.HttpStatusCode;
import org.springframework.web.ErrorResponseException;

/**
 * Base of every module exception that reaches a client: it carries a status, a stable problem type slug
 * and a detail written for the user. The detail is shown as is, so it must never contain internal text
 * (SQL, provider bodies, class names).
 */
public class SwitchboardException extends ErrorResponseException {

    public SwitchboardException(HttpStatusCode status, String slug, String detail) {
        super(status, Problems.of(status, slug, detail), null);
    }

    public SwitchboardException(HttpStatusCode status, String slug, String detail, Throwable cause) {
        super(status, Problems.of(status, slug, detail), cause);
    }
}
