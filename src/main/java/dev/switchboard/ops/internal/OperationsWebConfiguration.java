package dev.switchboard.ops.internal;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.switchboard.shared.ProblemResponder;
import dev.switchboard.shared.WebFilterOrder;

@Configuration(proxyBeanMethods = false)
class OperationsWebConfiguration {

    @Bean
    FilterRegistrationBean<MetricsAccessFilter> metricsAccessFilter(MetricsProperties properties,
            ProblemResponder problems) {
        FilterRegistrationBean<MetricsAccessFilter> registration = new FilterRegistrationBean<>(
                new MetricsAccessFilter(properties, problems));
        registration.setOrder(WebFilterOrder.METRICS_ACCESS);
        return registration;
    }

    @Bean
    FilterRegistrationBean<HealthAliasFilter> healthAliasFilter() {
        FilterRegistrationBean<HealthAliasFilter> registration = new FilterRegistrationBean<>(new HealthAliasFilter());
        registration.setOrder(WebFilterOrder.HEALTH_ALIAS);
        return registration;
    }
}
