package dev.switchboard.shared.internal.web;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.MDC;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.switchboard.shared.RequestIds;

/**
 * First filter of every exchange: takes a well-formed {@code X-Request-Id} or makes one, echoes it on the
 * response and puts it into the logging context for as long as the request (and its error or async
 * dispatches) runs.
 */
class RequestIdFilter extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String id = RequestIds.of(request);
        if (id == null) {
            id = RequestIds.accept(request.getHeader(RequestIds.HEADER)).orElseGet(RequestIds::generate);
            request.setAttribute(RequestIds.ATTRIBUTE, id);
        }
        response.setHeader(RequestIds.HEADER, id);
        String previous = MDC.get(RequestIds.MDC_KEY);
        MDC.put(RequestIds.MDC_KEY, id);
        try {
            chain.doFilter(request, response);
        }
        finally {
            if (previous == null) {
                MDC.remove(RequestIds.MDC_KEY);
            }
            else {
                MDC.put(RequestIds.MDC_KEY, previous);
            }
        }
    }

    @Override
    protected boolean shouldNotFilterErrorDispatch() {
        return false;
    }

    @Override
    protected boolean shouldNotFilterAsyncDispatch() {
        return false;
    }
}
