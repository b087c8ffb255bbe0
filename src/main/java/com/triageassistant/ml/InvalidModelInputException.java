package com.triageassistant.ml;

/** The sidecar refused the input (dataset, issues, options, target): a bug on our side, retrying will not help. */
public class InvalidModelInputException extends SidecarException {

    private static final long serialVersionUID = 1L;

    public InvalidModelInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
