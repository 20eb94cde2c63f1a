package dev.switchboard.shared.internal.config;

import java.util.List;

import jakarta.validation.constraints.NotNull;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.validation.annotation.Validated;

import dev.switchboard.shared.OutboundAddressPolicy;
import dev.switchboard.shared.OutboundConnections;
import dev.switchboard.shared.OutboundResolver;

/**
 * The one {@link OutboundConnections}: the policy with the operator's allow-list, and the system resolver unless
 * another {@link OutboundResolver} bean is present (tests add one).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(OutboundConfiguration.OutboundProperties.class)
class OutboundConfiguration {

    /**
     * Outbound connection settings ({@code switchboard.security.outbound}).
     *
     * @param allowedNetworks CIDRs Switchboard may connect to although they are special-purpose ranges (loopback,
     *        private, shared...), e.g. {@code 10.20.0.0/16} for an internal model server; empty by default
     */
    @Validated
    @ConfigurationProperties("switchboard.security.outbound")
    record OutboundProperties(@NotNull @DefaultValue List<String> allowedNetworks) {
    }

    @Bean
    OutboundConnections outboundConnections(OutboundProperties properties, ObjectProvider<OutboundResolver> resolver) {
        return new OutboundConnections(new OutboundAddressPolicy(properties.allowedNetworks()),
                resolver.getIfAvailable(() -> OutboundResolver.SYSTEM));
    }
}
