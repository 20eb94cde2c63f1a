package dev.switchboard.identity.internal.web;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Method-level security ({@code @PreAuthorize}) fails inside Spring MVC, where the shared advice would take
 * it for an unexpected error; answer it exactly as the filter chain answers a refused request.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class SecurityProblemAdvice {

    private final ProblemSecurityHandlers handlers;

    SecurityProblemAdvice(dev.switchboard.shared.ProblemResponder problems) {
        this.handlers = new ProblemSecurityHandlers(problems);
    }

    @ExceptionHandler(AccessDeniedException.class)
    void denied(AccessDeniedException ex, HttpServletRequest request, HttpServletResponse response) throws IOException {
        handlers.handle(request, response, ex);
    }

    @ExceptionHandler(AuthenticationException.class)
    void unauthenticated(AuthenticationException ex, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        handlers.commence(request, response, ex);
    }
}
