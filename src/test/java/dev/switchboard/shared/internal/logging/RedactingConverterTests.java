package dev.switchboard.shared.internal.logging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.LoggingEvent;

/** The development log layout masks secrets in the formatted message, its arguments and exception text. */
class RedactingConverterTests {

    @Test
    void masksMessageArgumentsAndExceptions() {
        LoggerContext context = new LoggerContext();
        PatternLayout layout = new PatternLayout();
        layout.setContext(context);
        layout.getInstanceConverterMap().put("redact", RedactingConverter::new);
        layout.setPattern("%redact(%m %ex)");
        layout.start();

        LoggingEvent event = new LoggingEvent("test", context.getLogger("test"), Level.INFO,
                "login {} with {}", new IllegalStateException("token=abcdef123456 rejected"),
                new Object[] {"ada@example.com", "password=hunter2hunter2"});
        String line = layout.doLayout(event);

        assertThat(line).doesNotContain("ada@example.com", "hunter2hunter2", "abcdef123456")
                .contains("[REDACTED-EMAIL]", "password=[REDACTED]", "token=[REDACTED]");
    }
}
