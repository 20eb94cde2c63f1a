package dev.switchboard.identity.internal.web;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.csrf.CsrfException;

import dev.switchboard.identity.ProtectedResources;
import dev.switchboard.shared.ProblemResponder;
import dev.switchboard.shared.Problems;
import dev.switchboard.shared.RequestPaths;

/**
 * 401 and 403 as problems. The 401 carries an RFC 6750 challenge: {@code Bearer} when no credentials came,
 * {@code Bearer error="invalid_token"} when they were refused; neither says why beyond that. On the MCP endpoint the
 * challenge also names the protected resource metadata ({@code resource_metadata}, RFC 9728), where MCP clients
 * learn how to authenticate.
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
        String challenge = CHALLENGE;
        if (ProtectedResources.isMcp(RequestPaths.of(request))) {
            // MCP clients discover how to get a token from here (RFC 9728 section 5.1).
            challenge += ", resource_metadata=\"" + ProtectedResources.mcpMetadataUrl(request) + "\"";
        }
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, presented ? challenge + ", error=\"invalid_token\"" : challenge);
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
