package dev.switchboard.chat.internal.web;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;

import tools.jackson.databind.json.JsonMapper;

/**
 * Server-Sent Events written straight to the response, each flushed at once. Nothing is committed until
 * the first event, so a turn that fails before its first token can still answer with a plain problem. A
 * write that fails (the client went away) throws {@link UncheckedIOException}.
 */
public final class EventStream {

    private final HttpServletResponse response;
    private final JsonMapper json;
    private OutputStream out;

    public EventStream(HttpServletResponse response, JsonMapper json) {
        this.response = response;
        this.json = json;
    }

    public boolean started() {
        return out != null;
    }

    /** An event with a JSON payload. */
    public void send(String event, Object data) {
        write((event == null ? "" : "event: " + event + "\n") + "data: " + json.writeValueAsString(data) + "\n\n");
    }

    /** A bare {@code data:} line, as OpenAI's streams end: {@code data: [DONE]}. */
    public void sendRaw(String data) {
        write("data: " + data + "\n\n");
    }

    private void write(String text) {
        try {
            if (out == null) {
                response.setStatus(200);
                response.setContentType("text/event-stream");
                response.setCharacterEncoding("UTF-8");
                response.setHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
                response.setHeader("X-Accel-Buffering", "no");
                out = response.getOutputStream();
            }
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
