package com.triageassistant.ml;

/**
 * No sidecar answered: none is up (starting, restarting, down), it died during the call, or it did not answer
 * within the call's time-out. Retryable: the supervisor brings a new one up.
 */
public class SidecarUnavailableException extends SidecarException {

    private static final long serialVersionUID = 1L;

    public SidecarUnavailableException(String message) {
        super(message);
    }

    public SidecarUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
