package dev.switchboard.chat.internal.turn;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import dev.switchboard.chat.internal.ChatProperties;
import dev.switchboard.identity.Caller;
import dev.switchboard.llm.LlmMessage;
import dev.switchboard.persona.Persona;
import dev.switchboard.persona.PersonaCatalog;
import dev.switchboard.shared.SwitchboardException;

/** Stage 1: the message is there and not too long, and the agent exists and the caller may use it. */
@Component
class TurnValidation {

    private final PersonaCatalog personas;
    private final ChatProperties properties;

    TurnValidation(PersonaCatalog personas, ChatProperties properties) {
        this.personas = personas;
        this.properties = properties;
    }

    void message(String message) {
        if (message == null || message.isBlank()) {
            throw new SwitchboardException(HttpStatus.BAD_REQUEST, "validation", "message: say something.");
        }
        if (message.length() > properties.maxMessageLength()) {
            throw new SwitchboardException(HttpStatus.BAD_REQUEST, "message-too-long", "message: " + message.length()
                    + " characters is over the limit of " + properties.maxMessageLength() + ".");
        }
    }

    /** Something besides instructions to answer, and every user message within the limit. */
    void input(TurnInput input) {
        if (input.stored().isEmpty()) {
            throw new SwitchboardException(HttpStatus.BAD_REQUEST, "validation", "input: say something (a user message or the "
                    + "results of the tools the model called).");
        }
        for (LlmMessage message : input.stored()) {
            if (message.role() == LlmMessage.Role.USER) {
                message(message.content());
            }
        }
    }

    Persona persona(Caller caller, String agent) {
        if (agent == null || agent.isBlank()) {
            throw new SwitchboardException(HttpStatus.BAD_REQUEST, "validation", "agent: name the persona (id or slug) to talk to; "
                    + "GET /api/agents lists them.");
        }
        return personas.usable(agent, caller.actsAsAdmin()).orElseThrow(() -> new SwitchboardException(HttpStatus.NOT_FOUND,
                "agent-not-found", "There is no agent '" + agent + "' you may use; GET /api/agents lists them."));
    }
}
