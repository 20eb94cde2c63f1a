package dev.switchboard.chat.internal.openai.responses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.Test;

import dev.switchboard.chat.internal.openai.ToolCallIds;
import dev.switchboard.llm.LlmMessage;
import dev.switchboard.llm.ToolCall;
import dev.switchboard.shared.OpenAiErrors;
import dev.switchboard.shared.SecretBox;
import dev.switchboard.shared.SwitchboardException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The Responses API's {@code input} read into the router's messages, and what it refuses, naming the item. */
class ResponseInputTests {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final UUID TENANT = UUID.randomUUID();

    /** Output items of stored responses, by id. */
    static final Map<String, JsonNode> STORED = Map.of("fc_0123456789abcdef0123456789abcdef_0", JSON.readTree(
            "{\"type\": \"function_call\", \"id\": \"fc_0123456789abcdef0123456789abcdef_0\", \"call_id\": \"call_r\", "
                    + "\"name\": \"get_time\", \"arguments\": \"{}\", \"status\": \"completed\"}"));

    final ToolCallIds ids = new ToolCallIds(new SecretBox(SecretBox.DEVELOPMENT_KEY));

    List<LlmMessage> parse(String input, Map<String, String> pending) {
        return ResponseInput.parse(JSON.readTree(input), "Be brief.", pending, STORED::get, ids, TENANT);
    }

    @Test
    void aStringIsOneUserMessageAfterTheInstructions() {
        List<LlmMessage> messages = parse("\"Hello\"", Map.of());
        assertThat(messages).containsExactly(LlmMessage.system("Be brief."), LlmMessage.user("Hello"));
    }

    @Test
    void itemsBecomeMessagesAndConsecutiveCallsOneAssistantMessage() {
        List<LlmMessage> messages = parse("""
                [{"role": "developer", "content": "Use metric units."},
                 {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "Weather in "},
                                                                 {"type": "input_text", "text": "Oslo and Bergen?"}]},
                 {"type": "function_call", "call_id": "call_a", "name": "get_weather", "arguments": "{\\"city\\":\\"Oslo\\"}"},
                 {"type": "function_call", "call_id": "call_b", "name": "get_weather", "arguments": "{\\"city\\":\\"Bergen\\"}"},
                 {"type": "function_call_output", "call_id": "call_a", "output": "18"},
                 {"type": "function_call_output", "call_id": "call_b", "output": [{"type": "input_text", "text": "12"}]}]
                """, Map.of());

        assertThat(messages).hasSize(6);
        assertThat(messages.get(1)).isEqualTo(LlmMessage.system("Use metric units."));
        assertThat(messages.get(2)).isEqualTo(LlmMessage.user("Weather in Oslo and Bergen?"));
        assertThat(messages.get(3).toolCalls()).extracting(ToolCall::id).containsExactly("call_a", "call_b");
        assertThat(messages.get(4)).isEqualTo(new LlmMessage(LlmMessage.Role.TOOL, "18", List.of(), "call_a", "get_weather"));
        assertThat(messages.get(5).content()).isEqualTo("12");
    }

    @Test
    void anOutputMayAnswerACallOfThePreviousResponseAndMustAnswerEach() {
        List<LlmMessage> messages = parse("[{\"type\": \"function_call_output\", \"call_id\": \"call_p\", \"output\": \"done\"}]",
                Map.of("call_p", "launch"));
        assertThat(messages.getLast().toolName()).isEqualTo("launch");

        assertThat(param(() -> parse("\"Next question\"", Map.of("call_p", "launch")))).isEqualTo("input");
        assertThat(param(() -> parse("[{\"type\": \"function_call_output\", \"call_id\": \"call_x\", \"output\": \"1\"}]", Map.of())))
                .isEqualTo("input[0].call_id");
    }

    @Test
    void anItemReferenceStandsForTheStoredItem() {
        List<LlmMessage> messages = parse("""
                [{"role": "user", "content": "What time is it?"},
                 {"type": "item_reference", "id": "fc_0123456789abcdef0123456789abcdef_0"},
                 {"type": "function_call_output", "call_id": "call_r", "output": "noon"}]
                """, Map.of());
        assertThat(messages.get(2).toolCalls()).extracting(ToolCall::name).containsExactly("get_time");
        assertThat(messages.get(3).toolName()).isEqualTo("get_time");
        assertThat(param(() -> parse("[{\"type\": \"item_reference\", \"id\": \"msg_1\"}]", Map.of()))).isEqualTo("input[0].id");
    }

    @Test
    void itemIdsLeadToTheirResponse() {
        String id = ResponseObjects.newId();
        assertThat(id).matches("resp_[0-9a-f]{32}");
        assertThat(ResponseObjects.responseOf(ResponseObjects.messageId(id))).isEqualTo(id);
        assertThat(ResponseObjects.responseOf(ResponseObjects.itemId(id, "fc_", 3))).isEqualTo(id);
        assertThat(ResponseObjects.responseOf("fc_nothex")).isNull();
        assertThat(ResponseObjects.responseOf("rs_0123456789abcdef0123456789abcdef")).isNull();
    }

    @Test
    void whatIsNotServedIsNamed() {
        assertThat(param(() -> parse("[{\"type\": \"reasoning\", \"id\": \"rs_1\"}]", Map.of()))).isEqualTo("input[0].type");
        assertThat(param(() -> parse("[{\"role\": \"user\", \"content\": [{\"type\": \"input_image\", \"image_url\": \"x\"}]}]",
                Map.of()))).isEqualTo("input[0].content[0].type");
        assertThat(param(() -> parse("[{\"role\": \"tool\", \"content\": \"x\"}]", Map.of()))).isEqualTo("input[0].role");
        assertThat(param(() -> parse("[]", Map.of()))).isEqualTo("input");
        assertThat(param(() -> parse("[{\"type\": \"function_call\", \"call_id\": \"c\", \"name\": \"f\"}]", Map.of())))
                .isEqualTo("input[0]");
    }

    /** The {@code param} of the 400 the parse is refused with. */
    static String param(ThrowableAssert.ThrowingCallable parse) {
        SwitchboardException refused = catchThrowableOfType(SwitchboardException.class, parse);
        assertThat(refused).as("the input was refused").isNotNull();
        assertThat(refused.getStatusCode().value()).isEqualTo(400);
        return (String) refused.getBody().getProperties().get(OpenAiErrors.PARAM);
    }
}
