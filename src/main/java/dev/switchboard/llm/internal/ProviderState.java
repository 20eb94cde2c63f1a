package dev.switchboard.llm.internal;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;

import dev.switchboard.llm.ToolCall;

/**
 * Provider state a tool call must carry to the next step. Gemini signs its function calls ("thought
 * signatures") and refuses a continued conversation whose calls lost them; Spring AI's Gemini client keeps them
 * as a list of byte arrays under the assistant message's {@code thoughtSignatures} metadata and gives them back
 * to the calls in order. Switchboard keeps each on its {@link ToolCall} (base64), so a caller that stores the
 * calls and sends them back later sends the signatures back too.
 */
final class ProviderState {

    /** Spring AI's Gemini client's metadata key. */
    static final String THOUGHT_SIGNATURES = "thoughtSignatures";

    private ProviderState() {
    }

    /** The signatures of an answer (or a part of a stream), base64, in order. */
    static List<String> signatures(ChatResponse response) {
        List<String> signatures = new ArrayList<>();
        if (response == null || response.getResults() == null) {
            return signatures;
        }
        for (Generation generation : response.getResults()) {
            if (generation != null && generation.getOutput() != null
                    && generation.getOutput().getMetadata().get(THOUGHT_SIGNATURES) instanceof List<?> list) {
                for (Object signature : list) {
                    if (signature instanceof byte[] bytes) {
                        signatures.add(Base64.getEncoder().encodeToString(bytes));
                    }
                }
            }
        }
        return signatures;
    }

    /** The assistant message's metadata that gives the calls' signatures back to the client. */
    static Map<String, Object> properties(List<ToolCall> calls) {
        List<byte[]> signatures = calls.stream().filter(call -> call.signature() != null)
                .map(call -> Base64.getDecoder().decode(call.signature())).toList();
        return signatures.isEmpty() ? Map.of() : Map.of(THOUGHT_SIGNATURES, new ArrayList<>(signatures));
    }
}
