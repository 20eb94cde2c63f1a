package dev.switchboard.fakellm;

import java.time.Duration;
import java.util.List;

/**
 * What the fake provider does with one request: answer (after an optional delay, with an optional slow first
 * token), or fail in one of the ways real providers fail.
 */
public sealed interface Behaviour {

    /** Answers {@code text}; streamed word by word when the request asks for a stream. */
    record Reply(String text, Duration latency, Duration firstTokenDelay) implements Behaviour {
    }

    /** Answers an HTTP error with the provider's error body; {@code retryAfterSeconds} > 0 adds Retry-After. */
    record Error(int status, long retryAfterSeconds) implements Behaviour {
    }

    /** Closes the connection without answering (a reset, as far as the client can tell). */
    record Reset() implements Behaviour {
    }

    /** Answers 200 with a body that is not valid JSON. */
    record Malformed() implements Behaviour {
    }

    /** Starts a stream, then closes the connection before the first token. */
    record CutBeforeFirstToken() implements Behaviour {
    }

    /** Streams the first word of {@code text}, then closes the connection. */
    record CutAfterFirstToken(String text) implements Behaviour {
    }

    /** Answers 302 with {@code Location: location} (a provider trying to send Switchboard elsewhere). */
    record Redirect(String location) implements Behaviour {
    }

    /** One tool call the fake model asks for; {@code arguments} is a JSON object as text. */
    record FakeToolCall(String id, String name, String arguments) {
    }

    /**
     * Asks for these tool calls in the kind's format instead of answering: streamed as the provider streams them
     * (OpenAI: id and name, then the arguments in pieces; Anthropic: {@code input_json_delta}s; Gemini and Ollama:
     * each call whole). {@code firstTokenDelay} delays the first call.
     */
    record CallTools(List<FakeToolCall> calls, Duration firstTokenDelay) implements Behaviour {
    }

    /** Starts a stream asking for the tool call, then closes the connection before the call is complete. */
    record CutAfterFirstToolCall(FakeToolCall call) implements Behaviour {
    }

    /** Asks for one call of {@code name} with {@code arguments} (a JSON object as text). */
    static Behaviour callTool(String id, String name, String arguments) {
        return new CallTools(List.of(new FakeToolCall(id, name, arguments)), Duration.ZERO);
    }

    static Behaviour reply(String text) {
        return new Reply(text, Duration.ZERO, Duration.ZERO);
    }

    static Behaviour slow(String text, Duration latency) {
        return new Reply(text, latency, Duration.ZERO);
    }

    static Behaviour slowFirstToken(String text, Duration delay) {
        return new Reply(text, Duration.ZERO, delay);
    }

    static Behaviour serverError() {
        return new Error(500, 0);
    }

    static Behaviour rateLimited(long retryAfterSeconds) {
        return new Error(429, retryAfterSeconds);
    }
}
