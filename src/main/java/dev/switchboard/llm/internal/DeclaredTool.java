package dev.switchboard.llm.internal;

import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.definition.ToolDefinition;

import dev.switchboard.llm.LlmTool;

/**
 * A tool as Spring AI's clients take it: they read its definition to write the provider's tool list. Spring AI
 * 2.0's chat models never run tools themselves (its loop lives in {@code ChatClient}'s advisor, which Switchboard
 * does not use), so {@link #call} is never reached: Switchboard runs the loop, one routed step at a time.
 */
record DeclaredTool(LlmTool tool) implements ToolCallback {

    @Override
    public ToolDefinition getToolDefinition() {
        return ToolDefinition.builder().name(tool.name()).description(tool.description())
                .inputSchema(tool.parametersSchema()).build();
    }

    @Override
    public String call(String toolInput) {
        throw new UnsupportedOperationException("Switchboard runs tools itself; the model client never does");
    }
}
