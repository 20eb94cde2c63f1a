package dev.switchboard.identity.internal.web;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.switchboard.shared.ProblemResponder;
import dev.switchboard.shared.Problems;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.csrf.CsrfException;

/**
 * 401 and 403 as problems. The 401 carries an RFC 6750 challenge: {@code Bearer} when no credentials came,
 * {@code Bearer error="invalid_token"} when they were refused; neither says why beyond that.
 */
final class ProblemSecurityHandlers implements AuthenticationEntryPoint, AccessDeniedHandler {

    private final ProblemResponder problems;
    static final String CHALLENGE = "Bearer realm=\"switchboard\"";

    ProblemSecurityHandlers(ProblemResponder problems) {
        this.problems = problems;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException failure)
            throws IOException {
        boolean presented = request.getHeader("Authorization") != null || request.getHeader("X-API-Key") != null;
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, presented ? CHALLENGE + ", error=\"invalid_token\"" : CHALLENGE);
        problems.send(request, response, Problems.of(HttpStatus.UNAUTHORIZED, "unauthorized", presented
                ? "The credentials are not valid (expired, revoked or malformed); sign in again."
                : "Authentication is required: send Authorization: Bearer <access token or API key>."));
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
            throws IOException {
        if (denied instanceof CsrfException) {
            problems.send(request, response, Problems.of(HttpStatus.FORBIDDEN, "csrf",
                    "This request was authenticated by the session cookie and needs the CSRF token: send the value of "
                            + "the SB_CSRF cookie in the X-CSRF-Token header."));
            return;
        }
        problems.send(request, response, Problems.of(HttpStatus.FORBIDDEN, "forbidden",
                "You are not allowed to do this; it needs a role or scope you do not have."));
    }
}
