package dev.switchboard.chat.internal.turn;

/**
 * How a turn ended: what {@code switchboard_chat_turns_total{status}} counts and {@code ChatTurnCompleted} says.
 * The first three are also the stored answer's status.
 */
public enum TurnStatus {

    /** The model answered and the turn is stored. */
    COMPLETE("complete"),
    /** A stream broke after its first token; the part that arrived is stored. */
    INCOMPLETE("incomplete"),
    /** No target answered; the user's message is stored, marked failed. */
    FAILED("failed"),
    /** The client went away mid-stream; what it was shown is stored, marked incomplete. */
    CLIENT_GONE("client_gone"),
    /** The model answered but the history could not be written; the client got the answer in the problem. */
    UNSAVED("unsaved");

    private final String label;

    TurnStatus(String label) {
        this.label = label;
    }

    /** The word used in metrics, events and stored messages. */
    public String label() {
        return label;
    }

    static TurnStatus of(String storedStatus) {
        for (TurnStatus status : values()) {
            if (status.label.equals(storedStatus)) {
                return status;
            }
        }
        throw new IllegalArgumentException("No turn status " + storedStatus);
    }
}
