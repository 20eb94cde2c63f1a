package dev.switchboard.chat.internal.history;

import java.util.UUID;

/**
 * A passage an answer cites, precisely: the document (id and name), the chunk, and its page or section.
 *
 * @param marker the number used in the answer's text ({@code [1]})
 * @param location page or section ("page 3", "Installation > Linux"), or empty
 * @param quote the words quoted verbatim when the answer quotes (the local responder); for a model's {@code [n]}, the
 *     opening of the cited passage (stored answers from before that are empty)
 */
public record MessageCitation(int marker, UUID documentId, String documentName, String chunkId, String location, String quote) {
}
