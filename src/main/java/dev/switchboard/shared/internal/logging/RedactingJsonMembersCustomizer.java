package dev.switchboard.shared.internal.logging;

import org.springframework.boot.json.JsonWriter;
import org.springframework.boot.logging.structured.StructuredLoggingJsonMembersCustomizer;

/**
 * Applies {@link Redactor} to every string value of a structured (JSON) log line: the message, MDC values
 * and stack traces alike. Registered through {@code logging.structured.json.customizer}.
 */
public class RedactingJsonMembersCustomizer implements StructuredLoggingJsonMembersCustomizer<Object> {

    @Override
    public void customize(JsonWriter.Members<Object> members) {
        members.applyingValueProcessor(JsonWriter.ValueProcessor.of(String.class, Redactor::redact));
    }
}
