package dev.switchboard.chat.internal.turn;

import java.util.List;

import org.springframework.stereotype.Component;

import dev.switchboard.identity.Caller;
import dev.switchboard.llm.Chain;
import dev.switchboard.llm.LlmMessage;
import dev.switchboard.llm.LlmRequest;
import dev.switchboard.llm.LlmResult;
import dev.switchboard.llm.LlmTool;
import dev.switchboard.llm.Passage;

/**
 * Stage 6 for a client that runs its own tools (the OpenAI-compatible API's {@code tools}): one routed, metered
 * model call offering the client's tools and none of the persona's. The calls the model asks for go back to the
 * client in the result; Switchboard runs none of them, so there is no loop here: the client sends the results in
 * its next request.
 */
@Component
class ClientToolStep {

    private final TurnMetering metering;

    ClientToolStep(TurnMetering metering) {
        this.metering = metering;
    }

    /**
     * Asks the model once. With no tools offered ({@code tool_choice: none}) tool calls and results already in the
     * conversation are written out as text, because providers refuse tool messages without tool definitions.
     */
    ToolLoop.Outcome run(Caller caller, Chain chain, List<LlmMessage> messages, List<Passage> passages, ToolLoop.Settings settings,
            List<LlmTool> tools, TurnEvents events) {
        boolean toolHistory = messages.stream().anyMatch(m -> m.role() == LlmMessage.Role.TOOL || !m.toolCalls().isEmpty());
        List<LlmMessage> sent = tools.isEmpty() && toolHistory ? ToolTranscript.flatten(messages) : messages;
        LlmRequest request = new LlmRequest(sent, passages, settings.temperature(), settings.maxTokens(), false, settings.purpose(),
                tools);
        LlmResult result = metering.generate(caller, chain, request, events == null ? null : events::delta);
        return new ToolLoop.Outcome(result, List.of(), passages, result.usage());
    }
}
