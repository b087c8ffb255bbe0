package com.triageassistant.ml;

/** A sidecar call did not give an answer. The subclass tells the caller what to do about it. */
public class SidecarException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public SidecarException(String message) {
        super(message);
    }

    public SidecarException(String message, Throwable cause) {
        super(message, cause);
    }
}
