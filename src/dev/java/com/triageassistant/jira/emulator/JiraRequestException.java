package com.triageassistant.jira.emulator;

import java.util.List;
import java.util.Map;

/** A request Jira would refuse, with Jira's error body shape: {@code errorMessages} and per-field {@code errors}. */
public class JiraRequestException extends RuntimeException {

    private final int status;
    private final List<String> errorMessages;
    private final Map<String, String> errors;

    public JiraRequestException(int status, List<String> errorMessages, Map<String, String> errors) {
        super(status + " " + errorMessages + " " + errors);
        this.status = status;
        this.errorMessages = errorMessages;
        this.errors = errors;
    }

    static JiraRequestException badRequest(String message) {
        return new JiraRequestException(400, List.of(message), Map.of());
    }

    static JiraRequestException fieldError(String field, String message) {
        return new JiraRequestException(400, List.of(), Map.of(field, message));
    }

    static JiraRequestException notFound(String message) {
        return new JiraRequestException(404, List.of(message), Map.of());
    }

    public int status() {
        return status;
    }

    public List<String> errorMessages() {
        return errorMessages;
    }

    public Map<String, String> errors() {
        return errors;
    }
}
