package dev.switchboard.shared.internal.web;

import java.io.IOException;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.switchboard.shared.ProblemResponder;
import dev.switchboard.shared.Problems;
import dev.switchboard.shared.RequestPaths;

/**
 * Refuses with 400 {@code ambiguous-path}, before any filter decides on the path, a request whose raw path
 * could be read differently by different parts of the server (see {@link RequestPaths#ambiguity}). Every
 * request that goes on has a raw path that differs from {@link RequestPaths#of} only by plain
 * percent-encoding, which every path-deciding filter removes by deciding on {@code RequestPaths.of}.
 */
class RequestPathFilter extends OncePerRequestFilter {

    private final ProblemResponder problems;

    RequestPathFilter(ProblemResponder problems) {
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<String> ambiguity = RequestPaths.ambiguity(RequestPaths.rawPathWithinApplication(request));
        if (ambiguity.isPresent()) {
            problems.send(request, response, Problems.of(HttpStatus.BAD_REQUEST, "ambiguous-path",
                    "The request path is ambiguous: " + ambiguity.get() + ". Send the path in its plain form."));
            return;
        }
        chain.doFilter(request, response);
    }
}
