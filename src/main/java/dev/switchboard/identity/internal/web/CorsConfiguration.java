package dev.switchboard.identity.internal.web;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.cors.DefaultCorsProcessor;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.filter.CorsFilter;

import dev.switchboard.identity.internal.SecurityProperties;
import dev.switchboard.shared.ProblemResponder;
import dev.switchboard.shared.Problems;
import dev.switchboard.shared.RequestIds;
import dev.switchboard.shared.WebFilterOrder;

/**
 * Cross-origin access: only the origins in {@code switchboard.security.cors.allowed-origins}, none by
 * default. Preflights are answered here, before authentication; a refused origin gets a 403 problem.
 */
@Configuration(proxyBeanMethods = false)
class CorsConfiguration {

    @Bean
    FilterRegistrationBean<CorsFilter> corsFilter(SecurityProperties properties, ProblemResponder problems) {
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        List<String> origins = properties.cors().allowedOrigins();
        if (!origins.isEmpty()) {
            org.springframework.web.cors.CorsConfiguration config = new org.springframework.web.cors.CorsConfiguration();
            config.setAllowedOrigins(origins);
            config.setAllowedMethods(List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"));
            config.setAllowedHeaders(List.of("Authorization", "Content-Type", "Accept", "X-API-Key",
                    RequestIds.HEADER, "X-CSRF-Token", "Last-Event-ID"));
            config.setExposedHeaders(List.of(RequestIds.HEADER, "Location", "Retry-After", "RateLimit-Limit",
                    "RateLimit-Remaining", "RateLimit-Reset"));
            config.setAllowCredentials(true);
            config.setMaxAge(Duration.ofHours(1));
            source.registerCorsConfiguration("/**", config);
        }
        CorsFilter filter = new CorsFilter(source);
        filter.setCorsProcessor(new ProblemCorsProcessor(problems));
        FilterRegistrationBean<CorsFilter> registration = new FilterRegistrationBean<>(filter);
        registration.setOrder(WebFilterOrder.CORS);
        return registration;
    }

    /** Spring's CORS rules, with a problem+json body instead of plain text when an origin is refused. */
    static final class ProblemCorsProcessor extends DefaultCorsProcessor {

        private final ProblemResponder problems;

        ProblemCorsProcessor(ProblemResponder problems) {
            this.problems = problems;
        }

        @Override
        public boolean processRequest(org.springframework.web.cors.CorsConfiguration config,
                HttpServletRequest request, HttpServletResponse response) throws IOException {
            boolean accepted = super.processRequest(config, request, response);
            if (!accepted) {
                problems.send(request, response, Problems.of(HttpStatus.FORBIDDEN, "cors-origin-refused",
                        "Cross-origin requests from " + request.getHeader("Origin") + " are not allowed."));
            }
            return accepted;
        }

        @Override
        protected void rejectRequest(ServerHttpResponse response) {
            response.setStatusCode(HttpStatus.FORBIDDEN);
        }
    }
}
