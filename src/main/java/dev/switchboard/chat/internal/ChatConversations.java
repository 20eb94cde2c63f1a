package dev.switchboard.chat.internal;

import java.util.UUID;

import org.springframework.stereotype.Service;

import dev.switchboard.chat.Conversations;
import dev.switchboard.chat.internal.history.ChatMessage;
import dev.switchboard.chat.internal.turn.ChatTurns;
import dev.switchboard.identity.Caller;
import dev.switchboard.persona.Persona;

/** {@link Conversations} over the one turn pipeline, {@link ChatTurns}: nothing of the turn is decided here. */
@Service
class ChatConversations implements Conversations {

    private final ChatTurns turns;

    ChatConversations(ChatTurns turns) {
        this.turns = turns;
    }

    @Override
    public Reply ask(Caller caller, Persona persona, String message, UUID sessionId, String purpose) {
        ChatTurns.Turn turn = turns.turn(caller, persona, message, sessionId, null, 0, purpose);
        ChatMessage answer = turn.answer();
        return new Reply(turn.session().id(), answer.id(), answer.content(), answer.status(), answer.citations().stream()
                .map(c -> new Source(c.marker(), c.documentId(), c.documentName(), c.chunkId(), c.location(), c.quote()))
                .toList(), turn.result().target().toString());
    }
}
