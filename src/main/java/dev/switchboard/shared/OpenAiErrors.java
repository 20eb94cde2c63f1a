package dev.switchboard.shared;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/**
 * Errors of the OpenAI-compatible API ({@code /v1/**}) in OpenAI's shape,
 * {@code {"error": {"message", "type", "param", "code"}}}, so that OpenAI's SDKs raise their usual exceptions.
 * The message is the problem's detail; the code is Switchboard's problem slug (OpenAI's own codes where
 * they exist: {@code invalid_api_key}, {@code model_not_found}, {@code rate_limit_exceeded}). The param is the
 * problem's {@value #PARAM} property, when it has one.
 */
public final class OpenAiErrors {

    /** The problem property naming the request parameter at fault (e.g. {@code tools[2].function.name}). */
    public static final String PARAM = "param";

    private OpenAiErrors() {
    }

    static boolean applies(HttpServletRequest request) {
        Object original = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        String context = request.getContextPath();
        String path = original instanceof String uri
                ? RequestPaths.normalise(uri.startsWith(context) ? uri.substring(context.length()) : uri)
                : RequestPaths.of(request);
        return path.startsWith("/v1/");
    }

    public static Map<String, Object> body(ProblemDetail problem) {
        String slug = problem.getType() != null && problem.getType().toString().startsWith(Problems.TYPE_PREFIX)
                ? problem.getType().toString().substring(Problems.TYPE_PREFIX.length()) : Problems.genericSlug(
                        HttpStatusCode.valueOf(problem.getStatus()));
        int status = problem.getStatus();
        String type = switch (status) {
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 429 -> slug.equals("token-quota-exceeded") ? "insufficient_quota" : "rate_limit_error";
            default -> status >= 500 ? "server_error" : "invalid_request_error";
        };
        String code = switch (slug) {
            case "unauthorized" -> "invalid_api_key";
            case "agent-not-found" -> "model_not_found";
            case "too-many-requests" -> "rate_limit_exceeded";
            default -> slug.replace('-', '_');
        };
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", problem.getDetail());
        error.put("type", type);
        Object param = problem.getProperties() == null ? null : problem.getProperties().get(PARAM);
        error.put("param", param instanceof String name ? name : null);
        error.put("code", code);
        return Map.of("error", error);
    }
}
