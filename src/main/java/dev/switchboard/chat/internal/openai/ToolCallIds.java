package dev.switchboard.chat.internal.openai;

import java.util.Base64;
import java.util.UUID;

import org.springframework.stereotype.Component;

import dev.switchboard.llm.ToolCall;
import dev.switchboard.shared.SecretBox;

/**
 * Tool-call ids as the client sees them. The API is stateless, yet Gemini wants its opaque signature back with each
 * call when the conversation continues: the signature travels inside the id the client echoes in the assistant
 * message's {@code tool_calls} and in the {@code tool} message's {@code tool_call_id}. It travels sealed (AES-GCM under
 * {@code switchboard.security.encryption-key}, bound to the tenant and the call's id), so that a client can send back
 * only signatures Switchboard handed to its tenant for that call, never provider state of its own making.
 */
@Component
public class ToolCallIds {

    /** Between the provider's id and the sealed signature; URL-safe base64 has no '.', so the first one splits them. */
    private static final String SIGNATURE = ".sig.";

    private final SecretBox box;

    public ToolCallIds(SecretBox box) {
        this.box = box;
    }

    /** The id the client is given for the call. */
    public String wire(UUID tenantId, ToolCall call) {
        if (call.signature() == null) {
            return call.id();
        }
        byte[] sealed = box.seal(call.signature(), context(tenantId, call.id()));
        return call.id() + SIGNATURE + Base64.getUrlEncoder().withoutPadding().encodeToString(sealed);
    }

    /** The provider's id of a call the client names by its wire id. */
    public static String id(String wireId) {
        int split = wireId.indexOf(SIGNATURE);
        return split < 0 ? wireId : wireId.substring(0, split);
    }

    /**
     * The call a client sends back, with the signature its wire id carries.
     *
     * @throws IllegalArgumentException when the id was altered, or was not handed out to this tenant for this call
     */
    public ToolCall call(UUID tenantId, String wireId, String name, String arguments) {
        int split = wireId.indexOf(SIGNATURE);
        if (split < 0) {
            return new ToolCall(wireId, name, arguments);
        }
        String id = wireId.substring(0, split);
        try {
            byte[] sealed = Base64.getUrlDecoder().decode(wireId.substring(split + SIGNATURE.length()));
            return new ToolCall(id, name, arguments, box.open(sealed, context(tenantId, id)));
        }
        catch (IllegalStateException | IllegalArgumentException altered) {
            throw new IllegalArgumentException("Not a tool-call id Switchboard handed out for this call", altered);
        }
    }

    private static String context(UUID tenantId, String callId) {
        return "openai-tool-call:" + tenantId + ":" + callId;
    }
}
