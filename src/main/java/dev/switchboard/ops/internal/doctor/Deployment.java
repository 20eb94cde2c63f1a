package dev.switchboard.ops.internal.doctor;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;

import javax.net.ssl.SSLContext;

/**
 * The deployment under examination, spoken to over plain JDK HTTP: no redirects followed (the HTTPS check wants to
 * see them), the API key sent only when a check asks for it.
 */
final class Deployment implements AutoCloseable {

    /** Long enough for a first chat turn through a real provider; a health check answers in milliseconds. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final DoctorOptions options;
    private final HttpClient client;

    /** {@code tls}: the JDK's default context (its {@code cacerts}, or {@code -Djavax.net.ssl.trustStore}), in tests another. */
    Deployment(DoctorOptions options, SSLContext tls) {
        this.options = options;
        this.client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).sslContext(tls)
                .connectTimeout(CONNECT_TIMEOUT).build();
    }

    DoctorOptions options() {
        return options;
    }

    URI uri(String path) {
        return URI.create(options.base() + path);
    }

    /** A request to {@code path} of the deployment, without credentials. */
    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(uri(path)).timeout(REQUEST_TIMEOUT);
    }

    /** A request to {@code path} with the API key as a bearer token. */
    HttpRequest.Builder withKey(String path) {
        return request(path).header("Authorization", "Bearer " + options.apiKey());
    }

    HttpResponse<String> send(HttpRequest request) throws Unreachable {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new Unreachable(request.uri(), "interrupted");
        }
        catch (HttpConnectTimeoutException ex) {
            throw new Unreachable(request.uri(), "cannot connect within " + CONNECT_TIMEOUT.toSeconds() + " s");
        }
        catch (HttpTimeoutException ex) {
            throw new Unreachable(request.uri(), "no answer within " + REQUEST_TIMEOUT.toSeconds() + " s");
        }
        catch (IOException ex) {
            throw new Unreachable(request.uri(), why(ex));
        }
    }

    /** What went wrong, in words: the JDK reports a failed name lookup as a {@link ConnectException} without a message. */
    static String why(IOException failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof UnresolvedAddressException || cause instanceof UnknownHostException) {
                return "cannot resolve the host name";
            }
        }
        if (failure instanceof ConnectException) {
            Throwable cause = failure.getCause();
            String detail = failure.getMessage() != null ? failure.getMessage()
                    : cause != null && cause.getMessage() != null ? cause.getMessage() : "connection refused";
            return "cannot connect (" + detail + ")";
        }
        return failure.getClass().getSimpleName() + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
    }

    HttpResponse<String> get(String path) throws Unreachable {
        return send(request(path).GET().build());
    }

    @Override
    public void close() {
        client.close();
    }

    /** The deployment did not answer a request: the check that sent it fails with this message as its reason. */
    static final class Unreachable extends Exception {

        private static final long serialVersionUID = 1L;

        Unreachable(URI uri, String why) {
            super(uri + ": " + why);
        }
    }
}
