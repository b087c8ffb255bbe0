package com.triageassistant.ml;

/** A sidecar could not be started; the message is the reason the health component shows. */
final class SidecarStartException extends Exception {

    private static final long serialVersionUID = 1L;

    SidecarStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
