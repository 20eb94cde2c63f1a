package dev.switchboard.ops.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.switchboard.shared.ProblemResponder;
import dev.switchboard.shared.Problems;
import dev.switchboard.shared.RequestPaths;

/**
 * Guards {@code /metrics}: loopback clients read it freely; others only with {@code Authorization: Bearer
 * <switchboard.metrics.token>} when a token is set. Everyone else gets the same 404 as an unknown path, so
 * the endpoint's existence is not revealed. The client address is the one Tomcat resolved, which honours
 * {@code X-Forwarded-For} only from trusted proxies.
 */
class MetricsAccessFilter extends OncePerRequestFilter {

    static final String PATH = "/metrics";

    private final MetricsProperties properties;
    private final ProblemResponder problems;

    MetricsAccessFilter(MetricsProperties properties, ProblemResponder problems) {
        this.properties = properties;
        this.problems = problems;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = RequestPaths.of(request);
        return !path.equals(PATH) && !path.startsWith(PATH + "/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (isLoopback(request.getRemoteAddr()) || hasValidToken(request)) {
            chain.doFilter(request, response);
            return;
        }
        problems.send(request, response, Problems.of(HttpStatus.NOT_FOUND, "not-found",
                "There is no endpoint " + request.getMethod() + " " + request.getRequestURI() + "."));
    }

    private boolean hasValidToken(HttpServletRequest request) {
        if (!properties.hasToken()) {
            return false;
        }
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] presented = header.substring(7).strip().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(presented, properties.token().strip().getBytes(StandardCharsets.UTF_8));
    }

    static boolean isLoopback(String address) {
        if (address == null || address.isEmpty()) {
            return false;
        }
        // Only literal addresses arrive here; reject anything that would need a name lookup.
        if (!address.matches("[0-9a-fA-F:.%]+")) {
            return false;
        }
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        }
        catch (UnknownHostException ex) {
            return false;
        }
    }
}
