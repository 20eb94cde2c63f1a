package dev.switchboard.mcp.internal.server;

import java.util.List;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.servlet.function.HandlerFilterFunction;
import org.springframework.web.servlet.function.HandlerFunction;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

import dev.switchboard.shared.ProblemResponder;
import dev.switchboard.shared.Problems;

/**
 * Answers the HTTP requests the MCP transport would refuse with an empty body as problems saying what to send
 * instead: {@code GET} (a stateless server has no server-to-client stream; 405, which clients expect), a body that is
 * not JSON (415), an {@code Accept} without both JSON and an event stream (406). What reaches the transport is an
 * MCP message, whose errors are JSON-RPC errors as the protocol wants.
 */
final class McpRequestCheck implements HandlerFilterFunction<ServerResponse, ServerResponse> {

    private final ProblemResponder problems;

    McpRequestCheck(ProblemResponder problems) {
        this.problems = problems;
    }

    @Override
    public ServerResponse filter(ServerRequest request, HandlerFunction<ServerResponse> next) throws Exception {
        if (HttpMethod.GET.equals(request.method())) {
            return problem(Problems.of(HttpStatus.METHOD_NOT_ALLOWED, "method-not-allowed", "This MCP server is stateless: "
                    + "send each JSON-RPC message with POST; there is no server-to-client stream to open with GET."));
        }
        MediaType contentType = request.headers().contentType().orElse(null);
        if (contentType == null || !MediaType.APPLICATION_JSON.isCompatibleWith(contentType)) {
            return problem(Problems.of(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type",
                    "Send the JSON-RPC message as Content-Type: application/json."));
        }
        List<MediaType> accept = request.headers().accept();
        if (!accepts(accept, MediaType.APPLICATION_JSON) || !accepts(accept, MediaType.TEXT_EVENT_STREAM)) {
            return problem(Problems.of(HttpStatus.NOT_ACCEPTABLE, "not-acceptable",
                    "Streamable HTTP clients send Accept: application/json, text/event-stream."));
        }
        return next.handle(request);
    }

    /** Accepts only an explicit listing, as the transport does (a wildcard is not enough for it). */
    private static boolean accepts(List<MediaType> accept, MediaType type) {
        return accept.stream().anyMatch(type::equalsTypeAndSubtype);
    }

    private ServerResponse problem(ProblemDetail problem) {
        ServerResponse.HeadersBuilder<?> response = ServerResponse.status(problem.getStatus());
        if (problem.getStatus() == HttpStatus.METHOD_NOT_ALLOWED.value()) {
            response.header(HttpHeaders.ALLOW, HttpMethod.POST.name());
        }
        return response.build((servletRequest, servletResponse) -> {
            problems.send(servletRequest, servletResponse, problem);
            return null;
        });
    }
}
