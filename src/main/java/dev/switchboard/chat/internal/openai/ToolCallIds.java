package dev.switchboard.chat.internal.openai;

import dev.switchboard.llm.ToolCall;

/**
 * Tool-call ids as the client sees them. The API is stateless, yet Gemini wants its opaque signature back with each
 * call when the conversation continues: the signature travels inside the id the client echoes in the assistant
 * message's {@code tool_calls} and in the {@code tool} message's {@code tool_call_id}.
 */
final class ToolCallIds {

    /** Between the provider's id and the signature; base64 has no '.', so the first one splits them. */
    private static final String SIGNATURE = ".sig.";

    private ToolCallIds() {
    }

    /** The id the client is given for the call. */
    static String wire(ToolCall call) {
        return call.signature() == null ? call.id() : call.id() + SIGNATURE + call.signature();
    }

    /** The provider's id of a call the client names by its wire id. */
    static String id(String wireId) {
        int split = wireId.indexOf(SIGNATURE);
        return split < 0 ? wireId : wireId.substring(0, split);
    }

    /** The signature a wire id carries, or null. */
    static String signature(String wireId) {
        int split = wireId.indexOf(SIGNATURE);
        return split < 0 ? null : wireId.substring(split + SIGNATURE.length());
    }
}
