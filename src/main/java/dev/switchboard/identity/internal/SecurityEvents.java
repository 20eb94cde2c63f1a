package dev.switchboard.identity.internal;

import java.time.Clock;
import java.util.Map;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import dev.switchboard.identity.Caller;
import dev.switchboard.identity.Callers;
import dev.switchboard.identity.SecurityEventOccurred;

/** Publishes {@link SecurityEventOccurred} with the client address of the current request. */
@Component
public class SecurityEvents {

    private final ApplicationEventPublisher publisher;
    private final Clock clock;

    SecurityEvents(ApplicationEventPublisher publisher, Clock clock) {
        this.publisher = publisher;
        this.clock = clock;
    }

    /** An action of the current caller on a subject. */
    public void byCaller(String action, UUID subjectId, Map<String, Object> details) {
        Caller caller = Callers.require();
        publish(action, caller.tenantId(), caller.userId(), caller.email(), subjectId, details);
    }

    public void publish(String action, UUID tenantId, UUID actorId, String actorEmail, UUID subjectId,
            Map<String, Object> details) {
        publisher.publishEvent(new SecurityEventOccurred(action, tenantId, actorId, actorEmail, clientAddress(),
                subjectId, details == null ? Map.of() : details, clock.instant()));
    }

    /** The client address of the current request (resolved from trusted proxies), or null outside one. */
    public static String clientAddress() {
        if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
            HttpServletRequest request = attributes.getRequest();
            return request.getRemoteAddr();
        }
        return null;
    }
}
