package dev.switchboard.shared;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

import tools.jackson.databind.json.JsonMapper;

/**
 * Completes and writes RFC 9457 problem responses. Every problem leaving Switchboard passes through {@link
 * #complete}: a generic {@code type} for its status when none is set, {@code instance} (the request path) and
 * {@code requestId} (and {@code traceId} inside a trace). Filters, which run outside Spring MVC, answer with {@link #send}.
 */
@Component
public class ProblemResponder {

    /** Problem bodies are never cached. */
    private static final String NO_STORE = "no-store";

    private final JsonMapper json;
    private final Traces traces;

    public ProblemResponder(JsonMapper json, Traces traces) {
        this.json = json;
        this.traces = traces;
    }

    /** Fills in type, title, instance, requestId and traceId where missing; returns the same problem. */
    public ProblemDetail complete(ProblemDetail problem, HttpServletRequest request) {
        if (problem.getType() == null || "about:blank".equals(problem.getType().toString())) {
            problem.setType(Problems.type(Problems.genericSlug(HttpStatusCode.valueOf(problem.getStatus()))));
        }
        if (problem.getTitle() == null) {
            problem.setTitle(Problems.title(HttpStatusCode.valueOf(problem.getStatus())));
        }
        if (problem.getInstance() == null) {
            problem.setInstance(instance(request));
        }
        problem.setProperty("requestId", RequestIds.of(request));
        // Beside the request id, the trace's: what the logs carry too, and what a tracing back end finds the request by.
        traces.currentTraceId().ifPresent(traceId -> problem.setProperty("traceId", traceId));
        return problem;
    }

    /** Writes the problem as the whole response; the caller must not write anything after it. */
    public void send(HttpServletRequest request, HttpServletResponse response, ProblemDetail problem)
            throws IOException {
        complete(problem, request);
        response.resetBuffer();
        response.setStatus(problem.getStatus());
        boolean openAi = OpenAiErrors.applies(request);
        response.setContentType(openAi ? MediaType.APPLICATION_JSON_VALUE : MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setHeader(HttpHeaders.CACHE_CONTROL, NO_STORE);
        json.writeValue(response.getOutputStream(), openAi ? OpenAiErrors.body(problem) : body(problem));
    }

    /**
     * The problem as a response entity, completed: {@code application/problem+json}, or under {@code /v1/}
     * (the OpenAI-compatible API) OpenAI's error body, so that its SDKs understand it.
     */
    public ResponseEntity<Object> entity(ProblemDetail problem, HttpServletRequest request) {
        complete(problem, request);
        boolean openAi = OpenAiErrors.applies(request);
        return ResponseEntity.status(problem.getStatus())
                .contentType(openAi ? MediaType.APPLICATION_JSON : MediaType.APPLICATION_PROBLEM_JSON)
                .header(HttpHeaders.CACHE_CONTROL, NO_STORE)
                .body(openAi ? OpenAiErrors.body(problem) : body(problem));
    }

    /** The JSON members of a problem, its extension properties flattened beside the standard ones. */
    public static Map<String, Object> body(ProblemDetail problem) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", problem.getType() != null ? problem.getType().toString() : null);
        body.put("title", problem.getTitle());
        body.put("status", problem.getStatus());
        body.put("detail", problem.getDetail());
        body.put("instance", problem.getInstance() != null ? problem.getInstance().toString() : null);
        if (problem.getProperties() != null) {
            body.putAll(problem.getProperties());
        }
        return body;
    }

    private static URI instance(HttpServletRequest request) {
        Object original = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        String path = original instanceof String uri ? uri : request.getRequestURI();
        try {
            return new URI(null, null, path, null);
        }
        catch (URISyntaxException ex) {
            return URI.create("/");
        }
    }
}
