package dev.switchboard.shared.internal.web;

import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

import dev.switchboard.shared.ProblemResponder;
import dev.switchboard.shared.Problems;
import dev.switchboard.shared.RequestIds;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tomcat's last word on errors that never reach the application — a URL the connector refuses, a header
 * too large — as problem+json instead of Tomcat's HTML page. These responses bypass the filters, so the
 * request id and the headers that matter for a JSON body are set here.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(true);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        String requestId = request.getAttribute(RequestIds.ATTRIBUTE) instanceof String id ? id : RequestIds.generate();
        ProblemDetail problem = Problems.of(HttpStatusCode.valueOf(status), Problems.genericDetail(HttpStatusCode.valueOf(status)));
        problem.setInstance(URI.create("/"));
        problem.setProperty("requestId", requestId);
        try {
            response.setContentType("application/problem+json");
            response.setCharacterEncoding("UTF-8");
            response.setHeader(RequestIds.HEADER, requestId);
            response.setHeader("Cache-Control", "no-store");
            response.setHeader("X-Content-Type-Options", "nosniff");
            response.setHeader("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(JSON.writeValueAsString(ProblemResponder.body(problem)));
                response.finishResponse();
            }
        }
        catch (IOException | IllegalStateException ex) {
            // The client is gone or the response is unusable; nothing more can be said.
        }
    }
}
