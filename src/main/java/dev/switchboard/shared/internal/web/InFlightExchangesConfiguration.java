package dev.switchboard.shared.internal.web;

import java.time.Duration;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Registers {@link InFlightExchanges} in Tomcat's engine and as a lifecycle bean (docs/operations.md, "Shutdown"). */
@Configuration(proxyBeanMethods = false)
class InFlightExchangesConfiguration {

    @Bean
    InFlightExchanges inFlightExchanges(@Value("${spring.lifecycle.timeout-per-shutdown-phase:30s}") Duration timeout) {
        return new InFlightExchanges(timeout);
    }

    @Bean
    InFlightExchanges.Drain inFlightExchangesDrain(InFlightExchanges exchanges) {
        return new InFlightExchanges.Drain(exchanges);
    }

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> inFlightExchangesCustomizer(InFlightExchanges exchanges) {
        return factory -> factory.addEngineValves(exchanges);
    }
}
