package dev.switchboard.shared.internal.web;

import java.time.Clock;
import java.util.List;

import jakarta.servlet.DispatcherType;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.switchboard.shared.BodyLimit;
import dev.switchboard.shared.DataDirectory;
import dev.switchboard.shared.ProblemResponder;
import dev.switchboard.shared.Sleeper;
import dev.switchboard.shared.WebFilterOrder;
import dev.switchboard.shared.internal.config.SwitchboardProperties;

@Configuration(proxyBeanMethods = false)
class SharedWebConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    Sleeper sleeper() {
        return Sleeper.THREAD;
    }

    /**
     * Created at start-up: readiness checks the disk space of this directory (a missing one would read as a full
     * disk), and a data directory that cannot be created fails the start rather than the first write.
     */
    @Bean
    DataDirectory dataDirectory(SwitchboardProperties properties) {
        DataDirectory directory = new DataDirectory(properties.dataDir());
        directory.directory(".");
        return directory;
    }

    @Bean
    FilterRegistrationBean<RequestIdFilter> requestIdFilter() {
        FilterRegistrationBean<RequestIdFilter> registration = new FilterRegistrationBean<>(new RequestIdFilter());
        registration.setOrder(WebFilterOrder.REQUEST_ID);
        registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ERROR, DispatcherType.ASYNC,
                DispatcherType.FORWARD);
        return registration;
    }

    @Bean
    FilterRegistrationBean<RequestPathFilter> requestPathFilter(ProblemResponder responder) {
        FilterRegistrationBean<RequestPathFilter> registration = new FilterRegistrationBean<>(
                new RequestPathFilter(responder));
        registration.setOrder(WebFilterOrder.REQUEST_PATH);
        return registration;
    }

    @Bean
    FilterRegistrationBean<BodySizeLimitFilter> bodySizeLimitFilter(SwitchboardProperties properties,
            ProblemResponder responder, List<BodyLimit> pathLimits) {
        FilterRegistrationBean<BodySizeLimitFilter> registration = new FilterRegistrationBean<>(
                new BodySizeLimitFilter(properties.http().maxBody(), pathLimits, responder));
        registration.setOrder(WebFilterOrder.BODY_LIMIT);
        return registration;
    }
}
