package dev.switchboard.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.test.context.TestComponent;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Endpoints that exist only in tests, to drive the application's real error handling, logging and limits
 * with inputs no production endpoint of this stage accepts yet.
 */
@TestComponent
@RestController
@RequestMapping("/test/probe")
public class ProbeController {

    private static final Logger log = LoggerFactory.getLogger(ProbeController.class);

    /** Text that must never reach a client. */
    public static final String INTERNAL_SECRET = "select password_hash from users where internal_detail = 42";

    public record Greeting(@NotBlank String name, @Min(1) @Max(10) int count) {
    }

    @PostMapping("/echo")
    Greeting echo(@Valid @RequestBody Greeting greeting) {
        return greeting;
    }

    @GetMapping("/items/{id}")
    Map<String, Object> item(@PathVariable UUID id) {
        return Map.of("id", id);
    }

    @GetMapping("/no-connection")
    void noConnection() {
        throw new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection: " + INTERNAL_SECRET);
    }

    @GetMapping("/boom")
    void boom() {
        throw new IllegalStateException(INTERNAL_SECRET);
    }

    @GetMapping("/sql")
    void sql() {
        throw new DataIntegrityViolationException("ERROR: duplicate key; SQL [" + INTERNAL_SECRET + "]");
    }

    private final AtomicInteger slowStarted = new AtomicInteger();
    private final AtomicInteger slowFinished = new AtomicInteger();

    /** A slow handler, as a slow downstream would make one: the wait is the server's, not a test's. */
    @GetMapping("/slow")
    Map<String, Object> slow(@RequestParam long millis) throws InterruptedException {
        slowStarted.incrementAndGet();
        try {
            Thread.sleep(millis);
            return Map.of("slept", millis);
        }
        finally {
            slowFinished.incrementAndGet();
        }
    }

    /** How many {@code /slow} requests have begun. */
    public int slowStarted() {
        return slowStarted.get();
    }

    /** How many {@code /slow} requests have finished (answered or interrupted). */
    public int slowFinished() {
        return slowFinished.get();
    }

    @GetMapping("/log")
    Map<String, Object> log(@RequestParam String message) {
        log.info("Probe says: {}", message);
        return Map.of("logged", true);
    }

    /** A server-sent event stream that sends one event now and one after {@code millis}, then ends. */
    @GetMapping(path = "/stream", produces = "text/event-stream")
    SseEmitter stream(@RequestParam long millis) throws IOException {
        SseEmitter emitter = new SseEmitter(60_000L);
        emitter.send("started");
        CompletableFuture.runAsync(() -> {
            try {
                emitter.send("finished");
                emitter.complete();
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }, CompletableFuture.delayedExecutor(millis, TimeUnit.MILLISECONDS));
        return emitter;
    }
}
