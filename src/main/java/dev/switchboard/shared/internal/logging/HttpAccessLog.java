package dev.switchboard.shared.internal.logging;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.servlet.ServletException;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.spi.LoggingEventBuilder;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

import dev.switchboard.shared.AccessLog;
import dev.switchboard.shared.RequestIds;

/**
 * One line per HTTP request on the {@code switchboard.access} logger, written by Tomcat when the exchange has
 * completed: after the last byte of a streamed (server-sent events) response too, so the duration is the real one.
 * Fields carry ECS names ({@code http.request.method}, {@code url.path}, {@code http.response.status_code},
 * {@code event.duration} in nanoseconds...) as key-value pairs, which the {@code prod} JSON log nests; the request,
 * tenant, user and API key ids go into the logging context under the names every other line uses. The line passes
 * through the same redaction as every log line; query values are masked before that ({@link QueryStrings}).
 */
final class HttpAccessLog extends ValveBase implements org.apache.catalina.AccessLog {

    static final String LOGGER = "switchboard.access";

    private static final Logger log = LoggerFactory.getLogger(LOGGER);

    private static final int MAX_USER_AGENT = 256;

    private final List<PathPattern> excluded;
    private boolean requestAttributesEnabled = true;

    HttpAccessLog(List<String> excludedPaths) {
        super(true);
        PathPatternParser parser = new PathPatternParser();
        this.excluded = excludedPaths.stream().map(parser::parse).toList();
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        getNext().invoke(request, response);
    }

    @Override
    public void log(Request request, Response response, long nanos) {
        if (!log.isInfoEnabled() || excluded(request.getDecodedRequestURI())) {
            return;
        }
        Map<String, String> context = MDC.getCopyOfContextMap();
        try {
            putContext(request, response);
            event(request, response, nanos).log();
        }
        finally {
            if (context == null) {
                MDC.clear();
            }
            else {
                MDC.setContextMap(context);
            }
        }
    }

    private boolean excluded(String path) {
        if (path == null) {
            return false;
        }
        PathContainer container = PathContainer.parsePath(path);
        return excluded.stream().anyMatch(pattern -> pattern.matches(container));
    }

    private static void putContext(Request request, Response response) {
        MDC.clear();
        String requestId = RequestIds.of(request);
        putIfPresent(RequestIds.MDC_KEY, requestId != null ? requestId : response.getHeader(RequestIds.HEADER));
        putIfPresent("tenantId", request.getAttribute(AccessLog.TENANT_ATTRIBUTE));
        putIfPresent("userId", request.getAttribute(AccessLog.USER_ATTRIBUTE));
        putIfPresent("apiKeyId", request.getAttribute(AccessLog.API_KEY_ATTRIBUTE));
    }

    private static void putIfPresent(String key, Object value) {
        if (value instanceof UUID || value instanceof String) {
            MDC.put(key, value.toString());
        }
    }

    private LoggingEventBuilder event(Request request, Response response, long nanos) {
        String method = request.getMethod();
        String path = clean(request.getRequestURI());
        String query = QueryStrings.masked(request.getQueryString());
        int status = response.getStatus();
        long bytes = response.getBytesWritten(false);
        String client = clientAddress(request);
        String userAgent = userAgent(request);
        long millis = TimeUnit.NANOSECONDS.toMillis(nanos);
        String target = query == null ? path : path + "?" + query;
        LoggingEventBuilder event = log.atInfo()
                .setMessage(method + " " + target + " " + status + " " + millis + " ms " + bytes + " B" + caller(request)
                        + " client=" + client + (userAgent == null ? "" : " agent=\"" + userAgent + "\""))
                .addKeyValue("http.request.method", method)
                .addKeyValue("url.path", path)
                .addKeyValue("http.response.status_code", status)
                .addKeyValue("http.response.body.bytes", bytes)
                .addKeyValue("event.duration", nanos)
                .addKeyValue("client.address", client);
        if (query != null) {
            event = event.addKeyValue("url.query", query);
        }
        if (userAgent != null) {
            event = event.addKeyValue("user_agent.original", userAgent);
        }
        return event;
    }

    /** The caller's ids for the readable text log, which shows no context but the request id. */
    private static String caller(Request request) {
        Object tenant = request.getAttribute(AccessLog.TENANT_ATTRIBUTE);
        Object user = request.getAttribute(AccessLog.USER_ATTRIBUTE);
        Object key = request.getAttribute(AccessLog.API_KEY_ATTRIBUTE);
        return (tenant == null ? "" : " tenant=" + tenant) + (user == null ? "" : " user=" + user)
                + (key == null ? "" : " key=" + key);
    }

    /** The client as Tomcat's remote IP valve saw it: the forwarded address when a trusted proxy sent the request. */
    private String clientAddress(Request request) {
        Object forwarded = requestAttributesEnabled ? request.getAttribute(REMOTE_ADDR_ATTRIBUTE) : null;
        return forwarded instanceof String address ? clean(address) : request.getRemoteAddr();
    }

    private static String userAgent(Request request) {
        String agent = request.getHeader("User-Agent");
        if (agent == null || agent.isBlank()) {
            return null;
        }
        String cleaned = clean(agent).replace('"', '\'');
        return cleaned.length() > MAX_USER_AGENT ? cleaned.substring(0, MAX_USER_AGENT) + "…" : cleaned;
    }

    /** Control characters would let a client forge lines in the text log. */
    private static String clean(String value) {
        return value == null ? "" : value.replaceAll("\\p{Cntrl}", "?");
    }

    @Override
    public void setRequestAttributesEnabled(boolean requestAttributesEnabled) {
        this.requestAttributesEnabled = requestAttributesEnabled;
    }

    @Override
    public boolean getRequestAttributesEnabled() {
        return requestAttributesEnabled;
    }
}
