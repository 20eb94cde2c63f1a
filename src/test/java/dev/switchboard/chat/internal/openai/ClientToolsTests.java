package dev.switchboard.chat.internal.openai;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.switchboard.llm.LlmMessage;
import dev.switchboard.llm.LlmTool;
import dev.switchboard.llm.ToolCall;
import dev.switchboard.shared.OpenAiErrors;
import dev.switchboard.shared.SecretBox;
import dev.switchboard.shared.SwitchboardException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** How the OpenAI-compatible API reads a client's tools, tool choice and tool messages. */
class ClientToolsTests {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final ToolCallIds IDS = new ToolCallIds(new SecretBox(SecretBox.DEVELOPMENT_KEY));
    static final UUID TENANT = UUID.randomUUID();

    static final String TOOLS = "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"parameters\":"
            + "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}}},{\"type\":\"function\",\"function\":"
            + "{\"name\":\"get_time\"}}]";

    static JsonNode body(String fields) {
        return JSON.readTree("{" + fields + "}");
    }

    static String param(Runnable parse) {
        try {
            parse.run();
        }
        catch (SwitchboardException invalid) {
            assertThat(invalid.getStatusCode().value()).isEqualTo(400);
            return (String) invalid.getBody().getProperties().get(OpenAiErrors.PARAM);
        }
        throw new AssertionError("not rejected");
    }

    @Test
    void withoutToolsThePersonasToolsApply() {
        assertThat(ClientTools.parse(body("\"model\":\"m\""))).isNull();
    }

    @Test
    void eachToolChoiceOffersWhatItMeans() {
        assertThat(ClientTools.parse(body(TOOLS)).offered()).extracting(LlmTool::name).containsExactly("get_weather", "get_time");
        assertThat(ClientTools.parse(body(TOOLS)).instruction()).isNull();
        assertThat(ClientTools.parse(body(TOOLS + ",\"tool_choice\":\"none\"")).offered()).isEmpty();
        ClientTools required = ClientTools.parse(body(TOOLS + ",\"tool_choice\":\"required\""));
        assertThat(required.offered()).hasSize(2);
        assertThat(required.instruction().role()).isEqualTo(LlmMessage.Role.SYSTEM);
        ClientTools named = ClientTools.parse(body(TOOLS
                + ",\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"get_time\"}}"));
        assertThat(named.offered()).extracting(LlmTool::name).containsExactly("get_time");
        assertThat(named.instruction().content()).contains("get_time");
        assertThat(ClientTools.parse(body("\"tool_choice\":\"none\"")).offered()).as("no tools at all, not the persona's").isEmpty();
        assertThat(ClientTools.parse(body(TOOLS)).offered().getFirst().parametersSchema()).contains("\"city\"");
    }

    @Test
    void badToolsNameTheirParameter() {
        assertThat(param(() -> ClientTools.parse(body("\"tools\":{}")))).isEqualTo("tools");
        assertThat(param(() -> ClientTools.parse(body("\"tools\":[]")))).isEqualTo("tools");
        assertThat(param(() -> ClientTools.parse(body("\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"x\"}},"
                + "{\"type\":\"function\",\"function\":{\"name\":\"a.b\"}}]")))).isEqualTo("tools[1].function.name");
        assertThat(param(() -> ClientTools.parse(body("\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"" + "n".repeat(65)
                + "\"}}]")))).isEqualTo("tools[0].function.name");
        assertThat(param(() -> ClientTools.parse(body("\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"x\"}},"
                + "{\"type\":\"function\",\"function\":{\"name\":\"x\"}}]")))).isEqualTo("tools[1].function.name");
        assertThat(param(() -> ClientTools.parse(body("\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"x\","
                + "\"parameters\":[]}}]")))).isEqualTo("tools[0].function.parameters");
        assertThat(param(() -> ClientTools.parse(body("\"tool_choice\":\"auto\"")))).isEqualTo("tool_choice");
        assertThat(param(() -> ClientTools.parse(body(TOOLS + ",\"tool_choice\":\"always\"")))).isEqualTo("tool_choice");
    }

    @Test
    void toolMessagesAnswerEarlierCallsAndGeminiSignaturesRoundTripSealed() {
        String signature = Base64.getEncoder().encodeToString("opaque".getBytes());
        String wireId = IDS.wire(TENANT, new ToolCall("call_1", "get_weather", "{}", signature));
        assertThat(wireId).startsWith("call_1.sig.").doesNotContain(signature);
        assertThat(IDS.wire(TENANT, new ToolCall("call_2", "get_weather", "{}"))).isEqualTo("call_2");

        List<LlmMessage> messages = ClientMessages.parse(JSON.readTree("[{\"role\":\"user\",\"content\":\"Weather?\"},"
                + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"" + wireId + "\",\"type\":\"function\","
                + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Oslo\\\"}\"}}]},"
                + "{\"role\":\"tool\",\"tool_call_id\":\"" + wireId + "\",\"content\":\"18 degrees\"}]"), IDS, TENANT);

        ToolCall call = messages.get(1).toolCalls().getFirst();
        assertThat(call.id()).isEqualTo("call_1");
        assertThat(call.signature()).isEqualTo(signature);
        assertThat(call.arguments()).isEqualTo("{\"city\":\"Oslo\"}");
        LlmMessage result = messages.get(2);
        assertThat(result.role()).isEqualTo(LlmMessage.Role.TOOL);
        assertThat(result.toolCallId()).isEqualTo("call_1");
        assertThat(result.toolName()).isEqualTo("get_weather");
    }

    @Test
    void signaturesAreAcceptedOnlyAsHandedOutToTheTenantForTheCall() {
        String signature = Base64.getEncoder().encodeToString("opaque".getBytes());
        String wireId = IDS.wire(TENANT, new ToolCall("call_1", "f", "{}", signature));
        String forged = "call_1.sig." + Base64.getUrlEncoder().encodeToString("made up".getBytes());
        String otherCall = "call_9" + wireId.substring("call_1".length());
        for (String[] attempt : new String[][] {{forged, TENANT.toString()}, {otherCall, TENANT.toString()},
                {wireId, UUID.randomUUID().toString()}}) {
            String body = "[{\"role\":\"user\",\"content\":\"hi\"},{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\""
                    + attempt[0] + "\",\"type\":\"function\",\"function\":{\"name\":\"f\"}}]}]";
            assertThat(param(() -> ClientMessages.parse(JSON.readTree(body), IDS, UUID.fromString(attempt[1]))))
                    .isEqualTo("messages[1].tool_calls[0].id");
        }
        assertThat(param(() -> ClientMessages.parse(JSON.readTree("[{\"role\":\"function\",\"content\":\"x\"}]"), IDS, TENANT)))
                .isEqualTo("messages[0].role");
    }
}
