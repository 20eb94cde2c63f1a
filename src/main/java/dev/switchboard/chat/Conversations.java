package dev.switchboard.chat;

import java.util.List;
import java.util.UUID;

import dev.switchboard.identity.Caller;
import dev.switchboard.persona.Persona;

/**
 * Talking to a persona from another module (the MCP server's {@code ask_agent}): one turn of a stored session,
 * run and metered exactly as {@code POST /api/chat} runs it for the same caller. Expected refusals (a message too
 * long, a session that is not the caller's or has expired, a quota spent, no provider answering) are thrown as the
 * same problems the REST API answers with.
 */
public interface Conversations {

    /**
     * One turn: the caller's {@code message} to {@code persona} (which the caller must be allowed to use), in the
     * session {@code sessionId} or, when it is null, a new one.
     *
     * @param purpose what the turn's token usage is recorded under: the endpoint it was asked through (e.g.
     *        {@code POST /api/mcp}), so that usage by endpoint adds up
     */
    Reply ask(Caller caller, Persona persona, String message, UUID sessionId, String purpose);

    /**
     * The stored answer of a turn.
     *
     * @param sessionId the session the turn belongs to (continue it by passing it back)
     * @param status {@code complete}, or {@code incomplete} when the answer broke off
     * @param target the {@code provider:model} that answered
     */
    record Reply(UUID sessionId, UUID messageId, String answer, String status, List<Source> citations, String target) {

        public Reply {
            citations = citations == null ? List.of() : List.copyOf(citations);
        }
    }

    /**
     * A passage the answer cites.
     *
     * @param marker the number used in the answer's text ({@code [1]})
     * @param location page or section ("page 3", "Installation > Linux"), or empty
     * @param quote the words quoted verbatim, when the answer quotes; otherwise empty
     */
    record Source(int marker, UUID documentId, String documentName, String chunkId, String location, String quote) {
    }
}
