package dev.switchboard.chat.internal.turn;

import java.util.List;

import org.springframework.stereotype.Component;

import dev.switchboard.llm.Passage;
import dev.switchboard.persona.Persona;

/**
 * Stage 4: the passages of the persona's knowledge bases that bear on the message. The knowledge module
 * (hybrid retrieval) plugs in here; until it does, no persona has searchable knowledge and there is nothing
 * to retrieve.
 */
@Component
class Retrieval {

    List<Passage> passages(Persona persona, String message) {
        return List.of();
    }
}
