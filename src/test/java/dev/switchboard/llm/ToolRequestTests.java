package dev.switchboard.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class ToolRequestTests {

    static final LlmTool WEATHER = new LlmTool("get_weather", "The weather.", "{\"type\":\"object\"}");

    @Test
    void aRequestWithToolsRequiresToolCallingAndCountsTheirTokens() {
        List<LlmMessage> messages = List.of(LlmMessage.user("Weather?"));
        LlmRequest plain = new LlmRequest(messages, List.of(), null, null, false, "test");
        LlmRequest withTools = new LlmRequest(messages, List.of(), null, null, false, "test", List.of(WEATHER));

        assertThat(plain.requiresTools()).isFalse();
        assertThat(withTools.requiresTools()).isTrue();
        assertThat(withTools.estimatedPromptTokens()).isGreaterThan(plain.estimatedPromptTokens());
    }

    @Test
    void toolNamesAreWhatEveryProviderAccepts() {
        assertThatThrownBy(() -> new LlmTool("get weather", "", null)).hasMessageContaining("1 to 64");
        assertThatThrownBy(() -> new LlmTool("x".repeat(65), "", null)).hasMessageContaining("1 to 64");
        assertThat(new LlmTool("search_knowledge-2", null, null).parametersSchema()).contains("\"object\"");
    }

    @Test
    void aToolResultAnswersANamedCallAndOnlyTheAssistantCallsTools() {
        ToolCall call = new ToolCall("call_1", "get_weather", null);
        assertThat(call.arguments()).isEqualTo("{}");
        assertThat(LlmMessage.toolResult(call, "sunny")).satisfies(result -> {
            assertThat(result.role()).isEqualTo(LlmMessage.Role.TOOL);
            assertThat(result.toolCallId()).isEqualTo("call_1");
            assertThat(result.toolName()).isEqualTo("get_weather");
        });
        assertThatThrownBy(() -> new LlmMessage(LlmMessage.Role.TOOL, "sunny")).hasMessageContaining("names the call");
        assertThatThrownBy(() -> new ToolCall("call_1", "get_weather", "{}", "not base64!")).hasMessageContaining("base64");
        assertThatThrownBy(() -> new LlmMessage(LlmMessage.Role.USER, "x", List.of(call), null, null))
                .hasMessageContaining("Only an assistant");
    }
}
