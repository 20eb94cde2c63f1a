package dev.switchboard.ops.internal;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

import dev.switchboard.shared.RequestPaths;

/**
 * Serves {@code GET /health} as the liveness group {@code /health/live}. The actuator's own root would
 * aggregate every indicator (the database among them), and liveness must not depend on anything outside
 * the process.
 */
class HealthAliasFilter extends OncePerRequestFilter {

    static final String ROOT = "/health";
    static final String LIVENESS = "/health/live";

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = RequestPaths.of(request);
        return !(path.equals(ROOT) || path.equals(ROOT + "/"));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        request.getRequestDispatcher(LIVENESS).forward(request, response);
    }
}
