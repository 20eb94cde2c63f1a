package dev.switchboard.shared.internal.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.switchboard.shared.ProblemResponder;
import dev.switchboard.shared.Problems;
import io.swagger.v3.oas.annotations.Hidden;

/**
 * Answers the servlet container's error dispatch ({@code /error}) — failures that happen outside Spring MVC,
 * in filters or in the container itself — with a problem whose detail depends only on the status.
 */
@Hidden
@RestController
class ProblemErrorController implements ErrorController {

    private static final Logger log = LoggerFactory.getLogger(ProblemErrorController.class);

    private final ProblemResponder responder;

    ProblemErrorController(ProblemResponder responder) {
        this.responder = responder;
    }

    @RequestMapping("${server.error.path:/error}")
    ResponseEntity<Object> error(HttpServletRequest request) {
        HttpStatusCode status = status(request);
        Object failure = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        if (status.is5xxServerError()) {
            log.error("Request to {} failed outside the handlers with {}",
                    request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI), status.value(),
                    failure instanceof Throwable t ? t : null);
        }
        return responder.entity(Problems.of(status, detail(status, request)), request);
    }

    private static HttpStatusCode status(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        if (code instanceof Integer value && value >= 400 && value < 600) {
            return HttpStatusCode.valueOf(value);
        }
        return HttpStatus.INTERNAL_SERVER_ERROR;
    }

    private static String detail(HttpStatusCode status, HttpServletRequest request) {
        if (status.value() == 404) {
            return "There is no endpoint at " + request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI) + ".";
        }
        return Problems.genericDetail(status);
    }
}
