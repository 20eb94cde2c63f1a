package dev.switchboard.chat.internal.openai;

import org.springframework.http.HttpStatus;

import dev.switchboard.shared.OpenAiErrors;
import dev.switchboard.shared.SwitchboardException;

/** A 400 for a request of the OpenAI-compatible API, naming the parameter at fault as OpenAI's {@code param} does. */
public final class BadParameter {

    private BadParameter() {
    }

    /** A 400 {@code validation} problem with {@code param} set (when not null). */
    public static SwitchboardException at(String param, String detail) {
        SwitchboardException invalid = new SwitchboardException(HttpStatus.BAD_REQUEST, "validation", detail);
        if (param != null) {
            invalid.getBody().setProperty(OpenAiErrors.PARAM, param);
        }
        return invalid;
    }
}
