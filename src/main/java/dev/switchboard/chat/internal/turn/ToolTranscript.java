package dev.switchboard.chat.internal.turn;

import java.util.ArrayList;
import java.util.List;

import dev.switchboard.llm.LlmMessage;
import dev.switchboard.llm.ToolCall;

/**
 * Tool calls and results written out as plain text, for a request that offers no tools: providers refuse tool
 * messages without tool definitions, yet what the tools returned is still what the model must answer from (the
 * last call of a turn that hit its step limit, the history of a persona whose tools were taken away).
 */
final class ToolTranscript {

    private ToolTranscript() {
    }

    /** The messages with every tool call and its results folded into one assistant message of text. */
    static List<LlmMessage> flatten(List<LlmMessage> messages) {
        List<LlmMessage> flat = new ArrayList<>();
        StringBuilder folded = null;
        for (LlmMessage message : messages) {
            if (message.role() == LlmMessage.Role.TOOL) {
                if (folded == null) {
                    folded = new StringBuilder();
                }
                folded.append("\nThe tool ").append(message.toolName()).append(" returned:\n").append(message.content());
                continue;
            }
            if (folded != null) {
                flat.add(LlmMessage.assistant(folded.toString().strip()));
                folded = null;
            }
            if (!message.toolCalls().isEmpty()) {
                folded = new StringBuilder(message.content());
                for (ToolCall call : message.toolCalls()) {
                    folded.append("\nI called the tool ").append(call.name()).append(" with ").append(call.arguments()).append('.');
                }
                continue;
            }
            flat.add(message);
        }
        if (folded != null) {
            flat.add(LlmMessage.assistant(folded.toString().strip()));
        }
        return flat;
    }
}
