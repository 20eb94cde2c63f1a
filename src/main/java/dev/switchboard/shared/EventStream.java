package dev.switchboard.shared;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledFuture;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;

import tools.jackson.databind.json.JsonMapper;

/**
 * Server-Sent Events written straight to the response, each flushed at once. Nothing is committed until the
 * first event, so a turn that fails before its first token can still answer with a plain problem — unless the
 * first token is slow: after a heartbeat interval of silence the stream starts with an SSE comment
 * ({@code : keep-alive}), and repeats it whenever nothing else was written for that long, so that proxies and
 * load balancers with short idle timeouts do not cut a stream that is waiting for the model. A write that fails
 * (the client went away) throws {@link UncheckedIOException}. Writes may come from several threads (the model's
 * callbacks, the heartbeat); they are serialised. Open through {@link EventStreams}; close when the answer is done.
 */
public final class EventStream implements AutoCloseable {

    private static final byte[] HEARTBEAT = ": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII);

    private final HttpServletResponse response;
    private final JsonMapper json;
    private final long heartbeatNanos;
    private OutputStream out;
    private long lastWrite = System.nanoTime();
    private boolean closed;
    private ScheduledFuture<?> heartbeat;

    EventStream(HttpServletResponse response, JsonMapper json, long heartbeatNanos) {
        this.response = response;
        this.json = json;
        this.heartbeatNanos = heartbeatNanos;
    }

    void heartbeat(ScheduledFuture<?> task) {
        this.heartbeat = task;
    }

    public synchronized boolean started() {
        return out != null;
    }

    /** An event with a JSON payload. */
    public void send(String event, Object data) {
        write(((event == null ? "" : "event: " + event + "\n") + "data: " + json.writeValueAsString(data) + "\n\n")
                .getBytes(StandardCharsets.UTF_8));
    }

    /** A bare {@code data:} line, as OpenAI's streams end: {@code data: [DONE]}. */
    public void sendRaw(String data) {
        write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Called by the heartbeat schedule: a comment when nothing was written for an interval. */
    synchronized void keepAlive() {
        if (closed || System.nanoTime() - lastWrite < heartbeatNanos) {
            return;
        }
        try {
            write(HEARTBEAT);
        }
        catch (UncheckedIOException clientGone) {
            // The next event's write fails the same way and is handled where the answer is produced.
            closed = true;
        }
    }

    private synchronized void write(byte[] bytes) {
        try {
            if (out == null) {
                response.setStatus(200);
                response.setContentType("text/event-stream");
                response.setCharacterEncoding("UTF-8");
                response.setHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
                response.setHeader("X-Accel-Buffering", "no");
                out = response.getOutputStream();
            }
            out.write(bytes);
            out.flush();
            lastWrite = System.nanoTime();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Stops the heartbeat; the response itself is completed by the container. */
    @Override
    public synchronized void close() {
        closed = true;
        if (heartbeat != null) {
            heartbeat.cancel(false);
        }
    }
}
