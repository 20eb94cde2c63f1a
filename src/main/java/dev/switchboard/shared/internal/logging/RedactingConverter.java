package dev.switchboard.shared.internal.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.pattern.CompositeConverter;

/**
 * Logback conversion word {@code %redact(...)} for the readable development log: masks what {@link
 * Redactor} recognises in whatever the enclosed pattern produced (message, arguments, exception text).
 */
public class RedactingConverter extends CompositeConverter<ILoggingEvent> {

    @Override
    protected String transform(ILoggingEvent event, String in) {
        return Redactor.redact(in);
    }
}
