package dev.switchboard.shared;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.beans.factory.DisposableBean;

import tools.jackson.databind.json.JsonMapper;

/**
 * Opens {@link EventStream}s and keeps them alive: one scheduler thread checks each open stream every heartbeat
 * interval ({@code switchboard.chat.sse-heartbeat}) and writes a comment to those that were silent that long (the
 * write itself runs on a virtual thread, so a client that stopped reading holds up no other stream). One bean for
 * every module that streams (chat, the OpenAI-compatible endpoints, database questions); {@code chat} declares it.
 */
public class EventStreams implements DisposableBean {

    private final JsonMapper json;
    private final long heartbeatNanos;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("sse-heartbeat").daemon().factory());

    public EventStreams(JsonMapper json, Duration heartbeat) {
        this.json = json;
        this.heartbeatNanos = heartbeat.toNanos();
    }

    public EventStream open(HttpServletResponse response) {
        EventStream stream = new EventStream(response, json, heartbeatNanos);
        stream.heartbeat(scheduler.scheduleWithFixedDelay(() -> Thread.startVirtualThread(stream::keepAlive), heartbeatNanos,
                heartbeatNanos, TimeUnit.NANOSECONDS));
        return stream;
    }

    @Override
    public void destroy() {
        scheduler.shutdownNow();
    }
}
