package dev.switchboard.chat.internal.web;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.switchboard.chat.internal.ChatProperties;
import dev.switchboard.shared.EventStreams;
import tools.jackson.databind.json.JsonMapper;

/** The one {@link EventStreams} of the application, with the heartbeat of {@code switchboard.chat.sse-heartbeat}. */
@Configuration(proxyBeanMethods = false)
class EventStreamConfiguration {

    @Bean
    EventStreams eventStreams(JsonMapper json, ChatProperties properties) {
        return new EventStreams(json, properties.sseHeartbeat());
    }
}
