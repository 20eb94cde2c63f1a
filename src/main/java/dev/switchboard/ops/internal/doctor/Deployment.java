package dev.switchboard.ops.internal.doctor;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * The deployment under examination, spoken to over plain JDK HTTP: no redirects followed (the HTTPS check wants to
 * see them), the API key sent only when a check asks for it.
 */
final class Deployment implements AutoCloseable {

    /** Long enough for a first chat turn through a real provider; a health check answers in milliseconds. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private final DoctorOptions options;
    private final HttpClient client;

    Deployment(DoctorOptions options) {
        this.options = options;
        this.client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5)).build();
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
        catch (HttpTimeoutException ex) {
            throw new Unreachable(request.uri(), "no answer within " + REQUEST_TIMEOUT.toSeconds() + " s");
        }
        catch (ConnectException ex) {
            throw new Unreachable(request.uri(), "cannot connect (" + (ex.getMessage() == null ? "connection refused"
                    : ex.getMessage()) + ")");
        }
        catch (IOException ex) {
            throw new Unreachable(request.uri(), ex.getClass().getSimpleName() + (ex.getMessage() == null ? ""
                    : ": " + ex.getMessage()));
        }
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
