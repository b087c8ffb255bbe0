package com.triageassistant.suggest;

import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Feedback refused, on either host: 404 for what does not exist, 400 for the rest, the reason in words. */
@RestControllerAdvice
class RefusedFeedbackAnswer {

    @ExceptionHandler(FeedbackService.RefusedFeedback.class)
    ResponseEntity<Map<String, String>> refused(FeedbackService.RefusedFeedback e) {
        return ResponseEntity.status(e.notFound() ? HttpStatus.NOT_FOUND : HttpStatus.BAD_REQUEST)
                .body(Map.of("error", e.getMessage()));
    }
}
