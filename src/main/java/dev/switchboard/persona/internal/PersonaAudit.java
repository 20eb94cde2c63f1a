package dev.switchboard.persona.internal;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import dev.switchboard.identity.Caller;
import dev.switchboard.identity.Callers;
import dev.switchboard.identity.SecurityEventOccurred;
import dev.switchboard.persona.Persona;
import dev.switchboard.tenancy.TenantContext;

/**
 * Writes persona changes to the audit log ({@code persona.created}, {@code .updated}, {@code .restored},
 * {@code .deleted}) as the administrator who made them. The audit log writes the event once the change's transaction
 * has committed, so a refused or rolled-back change leaves no entry.
 */
@Component
class PersonaAudit {

    /** What happened to a persona, as the audit log names it. */
    enum Action {
        CREATED("persona.created"), UPDATED("persona.updated"), RESTORED("persona.restored"), DELETED("persona.deleted");

        private final String name;

        Action(String name) {
            this.name = name;
        }
    }

    private final ApplicationEventPublisher events;
    private final Clock clock;

    PersonaAudit(ApplicationEventPublisher events, Clock clock) {
        this.events = events;
        this.clock = clock;
    }

    /** {@code details}: further facts beside the persona's slug and version (e.g. the version a restore copied). */
    void record(Action action, Persona persona, Map<String, Object> details) {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("slug", persona.slug());
        facts.put("version", persona.version());
        facts.putAll(details);
        Caller caller = Callers.current().orElse(null);
        String address = RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes
                ? attributes.getRequest().getRemoteAddr() : null;
        events.publishEvent(new SecurityEventOccurred(action.name, TenantContext.require(),
                caller == null ? null : caller.userId(), caller == null ? null : caller.email(), address, persona.id(), facts,
                clock.instant()));
    }
}
