package dev.switchboard.shared.internal.logging;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Adds {@link HttpAccessLog} to Tomcat's engine unless {@code switchboard.logging.access.enabled} is false. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AccessLogProperties.class)
class AccessLogConfiguration {

    @Bean
    @ConditionalOnBooleanProperty(name = "switchboard.logging.access.enabled", matchIfMissing = true)
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> accessLogCustomizer(AccessLogProperties properties) {
        return factory -> factory.addEngineValves(new HttpAccessLog(properties.excludedPaths()));
    }
}
