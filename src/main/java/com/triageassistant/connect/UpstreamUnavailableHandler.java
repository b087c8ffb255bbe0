package com.triageassistant.connect;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.client.ResourceAccessException;

/**
 * A service the app depends on (Atlassian's install key server, later Jira itself) did not answer in time:
 * that is a 503 the caller may retry (Jira retries lifecycle calls), not an internal error with a stack trace.
 */
@RestControllerAdvice
class UpstreamUnavailableHandler {

    private static final Logger log = LoggerFactory.getLogger(UpstreamUnavailableHandler.class);

    @ExceptionHandler(ResourceAccessException.class)
    ProblemDetail upstreamUnavailable(ResourceAccessException e) {
        log.warn("Upstream service unavailable: {}", e.getMessage());
        return ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                "A service this request depends on did not answer; retry later");
    }
}
