package dev.switchboard.shared.internal.web;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import jakarta.servlet.http.HttpServletRequest;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.validation.FieldError;
import org.springframework.web.ErrorResponse;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;

import dev.switchboard.shared.ProblemResponder;
import dev.switchboard.shared.Problems;
import dev.switchboard.shared.SwitchboardException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.DatabindException;

/**
 * The one place where exceptions become RFC 9457 problems. Spring MVC's own exceptions get the generic
 * types of their status and details a user can act on; unexpected exceptions are logged with the request id
 * and answered with a generic 500 that reveals nothing of the failure.
 */
@RestControllerAdvice
class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

    private final ProblemResponder responder;

    ProblemDetailsAdvice(ProblemResponder responder) {
        this.responder = responder;
    }

    /**
     * A multipart body that cannot be parsed at all (400). Over the size limit it is the more specific
     * {@code MaxUploadSizeExceededException}, which the base class answers with 413.
     */
    @ExceptionHandler(MultipartException.class)
    ResponseEntity<Object> handleMultipart(MultipartException ex, NativeWebRequest request) {
        return problem(Problems.of(HttpStatus.BAD_REQUEST, "malformed-body", "The upload could not be read as "
                + "multipart/form-data: the body is broken or a file name is invalid (control characters)."), request);
    }

    /**
     * No database connection in time (the pool exhausted under load, or the database unreachable): the service is
     * unavailable for now, not broken — the client may retry.
     */
    @ExceptionHandler({CannotGetJdbcConnectionException.class, CannotCreateTransactionException.class})
    ResponseEntity<Object> handleNoConnection(Exception ex, NativeWebRequest request) {
        log.warn("No database connection within the pool's timeout for {} {}", servletRequest(request).getMethod(),
                servletRequest(request).getRequestURI());
        ResponseEntity<Object> entity = problem(Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "service-unavailable",
                "The server is too busy to take this request now; retry in a few seconds."), request);
        return ResponseEntity.status(entity.getStatusCode()).headers(entity.getHeaders()).header(HttpHeaders.RETRY_AFTER, "2")
                .body(entity.getBody());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> handleUnexpected(Exception ex, NativeWebRequest request) {
        log.error("Unexpected failure handling {} {}", servletRequest(request).getMethod(),
                servletRequest(request).getRequestURI(), ex);
        return problem(Problems.of(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error",
                "Something went wrong on our side. Quote the request id if you report it."), request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return problem(Problems.of(HttpStatus.BAD_REQUEST, "malformed-body", unreadableDetail(ex)), request);
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<Map<String, Object>> errors = ex.getBindingResult().getFieldErrors().stream()
                .map(ProblemDetailsAdvice::fieldError)
                .toList();
        List<Map<String, Object>> globalErrors = ex.getBindingResult().getGlobalErrors().stream()
                .map(error -> Map.<String, Object>of("field", error.getObjectName(),
                        "message", String.valueOf(error.getDefaultMessage())))
                .toList();
        return validationProblem(concat(errors, globalErrors), request);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<Map<String, Object>> errors = ex.getParameterValidationResults().stream()
                .flatMap(result -> result.getResolvableErrors().stream()
                        .map(error -> Map.<String, Object>of(
                                "field", result.getMethodParameter().getParameterName() == null ? "parameter"
                                        : result.getMethodParameter().getParameterName(),
                                "message", String.valueOf(error.getDefaultMessage()))))
                .toList();
        return validationProblem(errors, request);
    }

    @Override
    protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException ex, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        String name = ex.getPropertyName() != null ? ex.getPropertyName() : "a parameter";
        return problem(Problems.of(HttpStatus.BAD_REQUEST, "bad-request",
                "The value of '" + name + "' is not valid here."), request);
    }

    @Override
    protected ResponseEntity<Object> handleNoResourceFoundException(NoResourceFoundException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return noEndpoint(request);
    }

    @Override
    protected ResponseEntity<Object> handleNoHandlerFoundException(NoHandlerFoundException ex, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        return noEndpoint(request);
    }

    private ResponseEntity<Object> noEndpoint(WebRequest request) {
        HttpServletRequest servlet = servletRequest(request);
        return problem(Problems.of(HttpStatus.NOT_FOUND, "not-found",
                "There is no endpoint " + servlet.getMethod() + " " + servlet.getRequestURI() + "."), request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpRequestMethodNotSupported(HttpRequestMethodNotSupportedException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String allowed = ex.getSupportedHttpMethods() == null ? "" : " Allowed: "
                + String.join(", ", ex.getSupportedHttpMethods().stream().map(Object::toString).toList()) + ".";
        ResponseEntity<Object> entity = problem(Problems.of(HttpStatus.METHOD_NOT_ALLOWED, "method-not-allowed",
                ex.getMethod() + " is not supported on this endpoint." + allowed), request);
        return ResponseEntity.status(entity.getStatusCode()).headers(entity.getHeaders()).headers(headers)
                .body(entity.getBody());
    }

    @Override
    protected ResponseEntity<Object> handleHttpMediaTypeNotSupported(HttpMediaTypeNotSupportedException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String supported = String.join(", ", ex.getSupportedMediaTypes().stream().map(MediaType::toString).toList());
        String detail = ex.getContentType() == null || servletRequest(request).getContentType() == null
                ? "The request has no Content-Type header; send one of: " + supported + "."
                : "Content-Type " + ex.getContentType() + " is not accepted here; send one of: " + supported + ".";
        ResponseEntity<Object> entity = problem(
                Problems.of(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type", detail), request);
        return ResponseEntity.status(entity.getStatusCode()).headers(entity.getHeaders()).headers(headers)
                .body(entity.getBody());
    }

    /** Every other Spring MVC exception: keep its status and detail, complete the problem. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, @Nullable Object body,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        ProblemDetail problem = body instanceof ProblemDetail detail ? detail
                : ex instanceof ErrorResponse response ? response.getBody()
                : Problems.of(status, Problems.genericDetail(status));
        if (status.value() == HttpStatus.SERVICE_UNAVAILABLE.value() && ex instanceof SwitchboardException) {
            // A deliberate refusal under load (e.g. no password-hashing slot): a stack trace per request would add
            // to the load it reports.
            log.warn("Refused with 503 {}: {}", problem.getType(), problem.getDetail());
        }
        else if (status.is5xxServerError()) {
            log.error("Request failed with {}", status.value(), ex);
        }
        ResponseEntity<Object> entity = problem(problem, request);
        // The exception's own headers (Allow, Retry-After…) plus the entity's (content type of the error dialect).
        return ResponseEntity.status(status).headers(headers).headers(entity.getHeaders()).body(entity.getBody());
    }

    private ResponseEntity<Object> validationProblem(List<Map<String, Object>> errors, WebRequest request) {
        String detail = errors.size() == 1
                ? "The request has an invalid field: " + errors.get(0).get("field") + " "
                        + errors.get(0).get("message") + "."
                : "The request has " + errors.size() + " invalid fields; see errors.";
        ProblemDetail problem = Problems.of(HttpStatus.BAD_REQUEST, "validation", detail);
        problem.setProperty("errors", errors);
        return problem(problem, request);
    }

    private ResponseEntity<Object> problem(ProblemDetail problem, WebRequest request) {
        return responder.entity(problem, servletRequest(request));
    }

    private static HttpServletRequest servletRequest(WebRequest request) {
        return ((NativeWebRequest) request).getNativeRequest(HttpServletRequest.class);
    }

    private static Map<String, Object> fieldError(FieldError error) {
        return Map.of("field", error.getField(), "message", String.valueOf(error.getDefaultMessage()));
    }

    private static <T> List<T> concat(List<T> first, List<T> second) {
        return Stream.concat(first.stream(), second.stream()).toList();
    }

    /** Names the place of a JSON syntax error or the field of a type mismatch, never the parser's text. */
    private static String unreadableDetail(HttpMessageNotReadableException ex) {
        for (Throwable t = ex.getCause(); t != null; t = t.getCause()) {
            if (t instanceof DatabindException databind && !databind.getPath().isEmpty()) {
                String field = databind.getPath().stream()
                        .map(ref -> ref.getPropertyName() != null ? ref.getPropertyName() : "[" + ref.getIndex() + "]")
                        .reduce((a, b) -> b.startsWith("[") ? a + b : a + "." + b)
                        .orElse("?");
                return "The request body has a value of the wrong type or shape at '" + field + "'.";
            }
            if (t instanceof JacksonException jackson && jackson.getLocation() != null) {
                TokenStreamLocation at = jackson.getLocation();
                return "The request body is not valid JSON (line " + at.getLineNr() + ", column "
                        + at.getColumnNr() + ").";
            }
        }
        return "The request body is missing or is not valid JSON.";
    }
}
