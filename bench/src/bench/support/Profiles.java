package bench.support;

import static bench.support.Bench.*;
import static bench.support.Load.*;
import static bench.support.Profiles.*;
import static bench.support.Sessions.*;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * JFR profiles of the Switchboard process: the hot stages of a request and the libraries the samples fall in.
 */
public final class Profiles {

    /** Library of a frame's class, for the self-time breakdown. */
    public static String library(String type) {
        String[][] known = {
                {"okhttp3.", "OkHttp (outbound HTTP client)"}, {"okio.", "OkHttp (outbound HTTP client)"},
                {"com.openai.", "OpenAI Java SDK"}, {"kotlin.", "OpenAI Java SDK"},
                {"com.fasterxml.jackson.", "Jackson 2 (OpenAI SDK's JSON)"},
                {"org.springframework.ai.", "Spring AI"}, {"reactor.", "Reactor"},
                {"tools.jackson.", "Jackson 3 (Switchboard's JSON)"},
                {"org.apache.tomcat.", "Tomcat"}, {"org.apache.coyote.", "Tomcat"}, {"org.apache.catalina.", "Tomcat"},
                {"org.springframework.security.", "Spring Security"},
                {"org.springframework.web.", "Spring MVC"}, {"org.springframework.http.", "Spring MVC"},
                {"org.postgresql.", "JDBC (PostgreSQL driver, Hikari, Spring JDBC)"},
                {"com.zaxxer.hikari.", "JDBC (PostgreSQL driver, Hikari, Spring JDBC)"},
                {"org.springframework.jdbc.", "JDBC (PostgreSQL driver, Hikari, Spring JDBC)"},
                {"org.springframework.transaction.", "JDBC (PostgreSQL driver, Hikari, Spring JDBC)"},
                {"io.micrometer.", "Micrometer"}, {"io.prometheus.", "Micrometer"},
                {"ch.qos.logback.", "Logging"}, {"org.slf4j.", "Logging"},
                {"io.github.resilience4j.", "Resilience4j"}, {"io.github.bucket4j.", "Bucket4j"}, {"com.bucket4j.", "Bucket4j"},
                {"com.github.benmanes.caffeine.", "Caffeine"}, {"org.hibernate.validator.", "Bean Validation"},
                {"dev.switchboard.", "Switchboard's own code"}, {"org.springframework.", "Spring (other)"},
        };
        for (String[] entry : known) {
            if (type.startsWith(entry[0])) {
                return entry[1];
            }
        }
        String[] parts = type.split("\\.");
        return parts.length > 2 ? parts[0] + "." + parts[1] + "." + parts[2] : type;
    }

    public static boolean jdk(String type) {
        return type.startsWith("java.") || type.startsWith("jdk.") || type.startsWith("sun.") || type.startsWith("javax.")
                || type.startsWith("jakarta.") || type.startsWith("com.sun.");
    }

    /**
     * Stages of a request, innermost first: a sample belongs to the first stage (scanning its stack from the leaf up)
     * one of whose frames it has; a stage is matched by class-name prefix, optionally {@code #method}.
     */
    public static final String[][] STAGES = {
            {"outbound LLM call (Switchboard's `OpenAiWire` or Spring AI `OpenAiChatModel` → OpenAI SDK; OkHttp, their JSON)",
                    "dev.switchboard.llm.internal.provider.OpenAiWire", "org.springframework.ai.openai.OpenAiChatModel", "com.openai.",
                    "okhttp3.", "okio."},
            {"routing (`ChainRouter`, breaker, prompt building)", "dev.switchboard.llm.internal."},
            {"persona look-up (`TurnValidation.persona`, a database transaction)", "dev.switchboard.chat.internal.turn.TurnValidation"},
            {"token quota (`TurnMetering`)", "dev.switchboard.chat.internal.turn.TurnMetering"},
            {"session stage (`SessionStage.open`: look-up or creation, a transaction)", "dev.switchboard.chat.internal.turn.SessionStage"},
            {"history window (`HistoryWindow.build`: the last messages, a transaction)",
                    "dev.switchboard.chat.internal.turn.HistoryWindow"},
            {"persisting the turn (`TurnRecorder`: two inserts and the session update, a transaction)",
                    "dev.switchboard.chat.internal.turn.TurnRecorder"},
            {"rest of the turn (`ChatTurns`: retrieval, prompt assembly, citations)", "dev.switchboard.chat.internal.turn."},
            {"reading the request JSON",
                    "org.springframework.web.servlet.mvc.method.annotation.AbstractMessageConverterMethodArgumentResolver"},
            {"writing the response JSON", "org.springframework.web.servlet.mvc.method.annotation.AbstractMessageConverterMethodProcessor"},
            {"rest of the handler (`OpenAiController`, `ChatController`, `SessionController`, `AuthController`)",
                    "dev.switchboard.chat.internal.openai.", "dev.switchboard.chat.internal.web.",
                    "dev.switchboard.identity.internal.web.AuthController"},
            {"Spring MVC dispatch (handler mapping, method security, interceptors)", "org.springframework.web.servlet.DispatcherServlet"},
            {"API-key authentication filter", "dev.switchboard.identity.internal.apikey."},
            {"rate-limit filter", "dev.switchboard.metering.internal.RateLimitFilter"},
            {"rest of the Spring Security filter chain", "org.springframework.security.web.FilterChainProxy"},
            {"other servlet filters (request id, tenant, metrics observation, body size) and Tomcat", "org.apache.catalina.",
                    "org.apache.coyote.",
                    "org.apache.tomcat."},
    };

    /** Where a sample on none of the request's stages goes. */
    public static final String[][] OTHER_STAGES = {
            {"JDBC outside a request (pool housekeeping)", "com.zaxxer.hikari.", "org.postgresql."},
            {"Micrometer outside a request", "io.micrometer."},
    };

    /** The innermost of {@code stages} on the stack, or null. */
    public static String stage(List<RecordedFrame> frames, String[][] stages) {
        for (RecordedFrame frame : frames) {
            String type = frame.getMethod().getType().getName();
            for (String[] candidate : stages) {
                for (int i = 1; i < candidate.length; i++) {
                    if (type.startsWith(candidate[i])) {
                        return candidate[0];
                    }
                }
            }
        }
        return null;
    }

    /** Self time by library (leaf-most frame outside the JDK), and time by stage of the request. */
    public static List<String> profile(Path jfr) throws IOException {
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> stages = new LinkedHashMap<>();
        for (String[] stage : STAGES) {
            stages.put(stage[0], 0);
        }
        for (String[] stage : OTHER_STAGES) {
            stages.put(stage[0], 0);
        }
        int total = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(jfr)) {
            if (!event.getEventType().getName().equals("jdk.ExecutionSample") || event.getStackTrace() == null) {
                continue;
            }
            List<RecordedFrame> frames = event.getStackTrace().getFrames();
            total++;
            String owner = "JDK only (I/O, collections, threads)";
            for (RecordedFrame frame : frames) {
                String type = frame.getMethod().getType().getName();
                if (!jdk(type)) {
                    owner = library(type);
                    break;
                }
            }
            self.merge(owner, 1, Integer::sum);
            String stage = stage(frames, STAGES);
            if (stage == null) {
                stage = stage(frames, OTHER_STAGES);
            }
            stages.merge(stage == null ? "elsewhere (other threads, JDK only)" : stage, 1, Integer::sum);
        }
        List<String> lines = new ArrayList<>();
        int samples = total;
        if (samples == 0) {
            lines.add("  - (no execution samples recorded)");
            return lines;
        }
        lines.add(f("  - by stage (each sample counted once, in the innermost stage on its stack; %d samples): %s", samples,
                stages.entrySet().stream().filter(e -> e.getValue() > 0)
                        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                        .map(e -> f("%s %.0f %%", e.getKey(), 100.0 * e.getValue() / samples)).collect(Collectors.joining("; "))));
        lines.add(f("  - self time by library (leaf-most frame outside the JDK): %s",
                self.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(10)
                        .map(e -> f("%s %.0f %%", e.getKey(), 100.0 * e.getValue() / samples)).collect(Collectors.joining(", "))));
        return lines;
    }

}
