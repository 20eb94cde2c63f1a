package dev.switchboard.llm.internal;

import java.io.EOFException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

import org.springframework.web.client.RestClientResponseException;
import org.springframework.web.reactive.function.client.WebClientResponseException;

import com.anthropic.errors.AnthropicInvalidDataException;
import com.anthropic.errors.AnthropicServiceException;
import com.google.genai.errors.ApiException;
import com.openai.errors.OpenAIInvalidDataException;
import com.openai.errors.OpenAIServiceException;
import dev.switchboard.llm.AttemptOutcome;
import dev.switchboard.llm.RetryPolicy;
import dev.switchboard.llm.internal.provider.ProviderStatusException;
import dev.switchboard.shared.OutboundRefusedException;

/**
 * What went wrong with one call, in Switchboard's terms: the outcome kind, and the provider's
 * {@code Retry-After} when it sent one. Built from whatever the four clients throw; the raw message is
 * never kept (it may carry the provider's error body, or a key).
 */
record Failure(AttemptOutcome outcome, Optional<Duration> retryAfter) {

    static Failure of(AttemptOutcome outcome) {
        return new Failure(outcome, Optional.empty());
    }

    static Failure classify(Throwable thrown) {
        // Reported by the resolver as an unknown host, so it comes before the connection failures.
        if (OutboundRefusedException.in(thrown).isPresent()) {
            return of(AttemptOutcome.DESTINATION_REFUSED);
        }
        for (Throwable cause = thrown; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            Optional<Failure> failure = classifyOne(cause);
            if (failure.isPresent()) {
                return failure.get();
            }
        }
        return of(AttemptOutcome.FAILED);
    }

    private static Optional<Failure> classifyOne(Throwable cause) {
        return switch (cause) {
            case ProviderStatusException e -> Optional.of(fromStatus(e.status(), Optional.ofNullable(e.retryAfter())));
            case OpenAIServiceException e -> Optional.of(fromStatus(e.statusCode(), e.headers().values("retry-after").stream()
                    .findFirst()));
            case AnthropicServiceException e -> Optional.of(fromStatus(e.statusCode(), e.headers().values("retry-after").stream()
                    .findFirst()));
            case ApiException e -> Optional.of(fromStatus(e.code(), Optional.empty()));
            case RestClientResponseException e -> Optional.of(fromStatus(e.getStatusCode().value(),
                    Optional.ofNullable(e.getResponseHeaders()).map(headers -> headers.getFirst("Retry-After"))));
            case WebClientResponseException e -> Optional.of(fromStatus(e.getStatusCode().value(),
                    Optional.ofNullable(e.getHeaders().getFirst("Retry-After"))));
            case OpenAIInvalidDataException e -> Optional.of(of(AttemptOutcome.MALFORMED_RESPONSE));
            case AnthropicInvalidDataException e -> Optional.of(of(AttemptOutcome.MALFORMED_RESPONSE));
            case tools.jackson.core.JacksonException e -> Optional.of(of(AttemptOutcome.MALFORMED_RESPONSE));
            case com.fasterxml.jackson.core.JacksonException e -> Optional.of(of(AttemptOutcome.MALFORMED_RESPONSE));
            case ConnectException e -> Optional.of(of(AttemptOutcome.CONNECT_FAILED));
            case HttpConnectTimeoutException e -> Optional.of(of(AttemptOutcome.CONNECT_FAILED));
            case NoRouteToHostException e -> Optional.of(of(AttemptOutcome.CONNECT_FAILED));
            case UnknownHostException e -> Optional.of(of(AttemptOutcome.CONNECT_FAILED));
            case SocketTimeoutException e -> Optional.of(of(AttemptOutcome.TIMEOUT));
            case HttpTimeoutException e -> Optional.of(of(AttemptOutcome.TIMEOUT));
            case TimeoutException e -> Optional.of(of(AttemptOutcome.TIMEOUT));
            case EOFException e -> Optional.of(of(AttemptOutcome.CONNECTION_RESET));
            case SocketException e -> Optional.of(of(AttemptOutcome.CONNECTION_RESET));
            case InterruptedIOException e -> Optional.of(of(AttemptOutcome.TIMEOUT));
            case java.io.IOException e when isPrematureClose(e) -> Optional.of(of(AttemptOutcome.CONNECTION_RESET));
            default -> Optional.empty();
        };
    }

    /** An {@code IOException} the JDK HTTP client throws when the server closes mid-answer. */
    private static boolean isPrematureClose(java.io.IOException e) {
        String message = e.getMessage();
        return message != null && (message.contains("closed") || message.contains("EOF") || message.contains("reset"));
    }

    static Failure fromStatus(int status, Optional<String> retryAfter) {
        return new Failure(RetryPolicy.outcomeOf(status), retryAfter.flatMap(Failure::parseRetryAfter));
    }

    /** {@code Retry-After} is either seconds or an HTTP date; read by the one {@link RetryPolicy}. */
    static Optional<Duration> parseRetryAfter(String value) {
        return RetryPolicy.retryAfter(value, Clock.systemUTC());
    }
}
