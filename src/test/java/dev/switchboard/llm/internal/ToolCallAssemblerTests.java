package dev.switchboard.llm.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.messages.AssistantMessage;

import dev.switchboard.llm.ToolCall;

class ToolCallAssemblerTests {

    static AssistantMessage.ToolCall part(String id, String name, String arguments) {
        return new AssistantMessage.ToolCall(id, "function", name, arguments);
    }

    @Test
    void joinsOpenAiStyleFragmentsIntoOneCallPerId() {
        ToolCallAssembler calls = new ToolCallAssembler();
        calls.add(part("call_1", "get_weather", ""));
        calls.add(part("", "", "{\"city\":"));
        calls.add(part(null, null, "\"Paris\"}"));
        calls.add(part("call_2", "get_time", ""));
        calls.add(part("", "", "{}"));

        assertThat(calls.calls()).containsExactly(new ToolCall("call_1", "get_weather", "{\"city\":\"Paris\"}"),
                new ToolCall("call_2", "get_time", "{}"));
    }

    @Test
    void keepsWholeCallsWithoutIdsApartAndNumbersThem() {
        ToolCallAssembler calls = new ToolCallAssembler();
        calls.add(part("", "get_weather", "{\"city\":\"Paris\"}"));
        calls.add(part("", "get_weather", "{\"city\":\"Rome\"}"));

        assertThat(calls.calls()).containsExactly(new ToolCall("call_0", "get_weather", "{\"city\":\"Paris\"}"),
                new ToolCall("call_1", "get_weather", "{\"city\":\"Rome\"}"));
    }

    @Test
    void aRepeatedIdContinuesItsCallAndEmptyArgumentsBecomeAnEmptyObject() {
        ToolCallAssembler calls = new ToolCallAssembler();
        calls.add(part("call_1", "list_agents", null));
        calls.add(part("call_1", null, ""));

        assertThat(calls.calls()).containsExactly(new ToolCall("call_1", "list_agents", "{}"));
        assertThat(new ToolCallAssembler().isEmpty()).isTrue();
    }
}
