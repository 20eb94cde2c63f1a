package dev.switchboard.identity.internal;

import java.util.List;

import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

import dev.switchboard.shared.ProductionRequirement;

/**
 * Production serves its API over HTTPS: {@code switchboard.security.require-https} is on under {@code prod}
 * (application-prod.yml), so plain-HTTP requests are redirected and HTTPS answers carry HSTS. Switching it off is
 * a deliberate decision whose reason the operator writes down in {@code switchboard.security.plain-http-reason}.
 */
public final class HttpsRequirement implements ProductionRequirement {

    @Override
    public List<String> violations(Environment environment) {
        boolean requireHttps = environment.getProperty("switchboard.security.require-https", Boolean.class, false);
        if (requireHttps || StringUtils.hasText(environment.getProperty("switchboard.security.plain-http-reason"))) {
            return List.of();
        }
        return List.of("switchboard.security.require-https is off. Under prod Switchboard redirects plain HTTP to HTTPS "
                + "and sends HSTS; leave it on (behind a TLS-terminating proxy, list the proxy in "
                + "server.tomcat.remoteip.internal-proxies so its X-Forwarded-Proto is trusted), or state why this "
                + "deployment serves plain HTTP in SWITCHBOARD_SECURITY_PLAINHTTPREASON.");
    }
}
