package dev.switchboard.knowledge.internal.parsing;

/**
 * A document that cannot be ingested, for a reason retrying will not change; the message is shown on the
 * document as it is, so it says what is wrong in the user's terms.
 */
public class UnreadableDocument extends Exception {

    public UnreadableDocument(String reason) {
        super(reason, null, false, false);
    }
}
