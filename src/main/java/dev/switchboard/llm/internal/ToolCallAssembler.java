package dev.switchboard.llm.internal;

import java.util.ArrayList;
import java.util.List;

import org.springframework.ai.chat.messages.AssistantMessage;

import dev.switchboard.llm.ToolCall;

/**
 * Builds complete tool calls from what a client returns: whole calls from a plain answer, fragments from a
 * stream. OpenAI streams a call as a first fragment with its id and name and then pieces of the arguments
 * without either; the other kinds send each call whole. A fragment with a new id starts a call, one without an
 * id (or with the id of the call being built) continues it. Gemini and Ollama give calls no id: they get
 * {@code call_<n>} in their order. Gemini's thought signatures come beside the calls, on the message (Spring AI
 * keeps them in its {@code thoughtSignatures} metadata, in order, and hands them back to the calls in order): the
 * n-th signature goes with the n-th call.
 */
final class ToolCallAssembler {

    private static final class Building {
        String id;
        String name;
        final StringBuilder arguments = new StringBuilder();
    }

    private final List<Building> calls = new ArrayList<>();
    private final List<String> signatures = new ArrayList<>();

    /** Adds the provider's signatures that came with a part of the answer (base64), in order. */
    void addSignatures(List<String> more) {
        signatures.addAll(more);
    }

    /** Adds one part of the answer's tool calls. */
    void add(AssistantMessage.ToolCall part) {
        boolean hasId = part.id() != null && !part.id().isBlank();
        Building current = calls.isEmpty() ? null : calls.getLast();
        if (current == null || (hasId && !part.id().equals(current.id)) || (!hasId && startsCall(part, current))) {
            current = new Building();
            current.id = hasId ? part.id() : null;
            calls.add(current);
        }
        if (current.name == null || current.name.isBlank()) {
            current.name = part.name();
        }
        if (part.arguments() != null) {
            current.arguments.append(part.arguments());
        }
    }

    /** A call without id starts a new one when it is named and the one being built already has its name. */
    private static boolean startsCall(AssistantMessage.ToolCall part, Building current) {
        return part.name() != null && !part.name().isBlank() && current.name != null && !current.name.isBlank()
                && current.id == null;
    }

    boolean isEmpty() {
        return calls.isEmpty();
    }

    List<ToolCall> calls() {
        List<ToolCall> complete = new ArrayList<>();
        for (int i = 0; i < calls.size(); i++) {
            Building call = calls.get(i);
            complete.add(new ToolCall(call.id != null ? call.id : "call_" + i, call.name == null ? "" : call.name,
                    call.arguments.toString(), i < signatures.size() ? signatures.get(i) : null));
        }
        return complete;
    }
}
