package dev.switchboard.identity.internal.web;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.MDC;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.switchboard.identity.Callers;
import dev.switchboard.shared.AccessLog;
import dev.switchboard.tenancy.TenantContext;

/**
 * Makes the authenticated caller's tenant current (and visible in the logs, the access log included) for the rest of
 * the request.
 */
final class TenantContextFilter extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        var caller = Callers.current();
        if (caller.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        AccessLog.identify(request, caller.get().tenantId(), caller.get().userId(), caller.get().apiKeyId());
        MDC.put("tenantId", caller.get().tenantId().toString());
        MDC.put("userId", caller.get().userId().toString());
        try (TenantContext.Scope ignored = TenantContext.open(caller.get().tenantId())) {
            chain.doFilter(request, response);
        }
        finally {
            MDC.remove("tenantId");
            MDC.remove("userId");
        }
    }
}
