package dev.switchboard.identity.internal.web;

import java.util.List;

import jakarta.servlet.DispatcherType;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.web.header.HeaderWriter;
import org.springframework.security.web.header.HeaderWriterFilter;
import org.springframework.security.web.header.writers.CacheControlHeadersWriter;
import org.springframework.security.web.header.writers.ContentSecurityPolicyHeaderWriter;
import org.springframework.security.web.header.writers.CrossOriginOpenerPolicyHeaderWriter;
import org.springframework.security.web.header.writers.HstsHeaderWriter;
import org.springframework.security.web.header.writers.PermissionsPolicyHeaderWriter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;
import org.springframework.security.web.header.writers.XContentTypeOptionsHeaderWriter;
import org.springframework.security.web.header.writers.frameoptions.XFrameOptionsHeaderWriter;

import dev.switchboard.identity.internal.SecurityProperties;
import dev.switchboard.shared.WebFilterOrder;

/**
 * Security headers on every response, written by Spring Security's own header writers in a filter that runs
 * before anything else can answer — so early refusals (413, 404 from the metrics guard) carry them too.
 * {@code Strict-Transport-Security} is written only for requests that arrived over HTTPS, directly or per
 * {@code X-Forwarded-Proto} from a trusted proxy ({@code server.tomcat.remoteip.internal-proxies}).
 */
@Configuration(proxyBeanMethods = false)
class SecurityHeadersConfiguration {

    static final String PERMISSIONS_POLICY = "accelerometer=(), camera=(), geolocation=(), gyroscope=(), "
            + "magnetometer=(), microphone=(), payment=(), usb=(), interest-cohort=()";

    @Bean
    FilterRegistrationBean<HeaderWriterFilter> securityHeadersFilter(SecurityProperties properties) {
        HeaderWriterFilter filter = new HeaderWriterFilter(writers(properties));
        filter.setShouldWriteHeadersEagerly(true);
        FilterRegistrationBean<HeaderWriterFilter> registration = new FilterRegistrationBean<>(filter);
        registration.setOrder(WebFilterOrder.SECURITY_HEADERS);
        registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ERROR);
        return registration;
    }

    static List<HeaderWriter> writers(SecurityProperties properties) {
        HstsHeaderWriter hsts = new HstsHeaderWriter();
        hsts.setIncludeSubDomains(true);
        PermissionsPolicyHeaderWriter permissions = new PermissionsPolicyHeaderWriter(PERMISSIONS_POLICY);
        CrossOriginOpenerPolicyHeaderWriter openerPolicy = new CrossOriginOpenerPolicyHeaderWriter();
        openerPolicy.setPolicy(CrossOriginOpenerPolicyHeaderWriter.CrossOriginOpenerPolicy.SAME_ORIGIN);
        return List.of(
                new XContentTypeOptionsHeaderWriter(),
                new XFrameOptionsHeaderWriter(XFrameOptionsHeaderWriter.XFrameOptionsMode.DENY),
                new ContentSecurityPolicyHeaderWriter(properties.contentSecurityPolicy()),
                // same-origin, not no-referrer: under no-referrer browsers send "Origin: null" with a page's own form posts
                // and fetch calls, which the CORS filter refuses as cross-origin. Other sites still get no referrer.
                new ReferrerPolicyHeaderWriter(ReferrerPolicyHeaderWriter.ReferrerPolicy.SAME_ORIGIN),
                permissions,
                openerPolicy,
                new CacheControlHeadersWriter(),
                hsts);
    }
}
