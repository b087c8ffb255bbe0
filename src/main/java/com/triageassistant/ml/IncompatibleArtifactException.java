package com.triageassistant.ml;

/** The sidecar cannot use a model artifact (corrupt, or of another artifact format): retrain the model. */
public class IncompatibleArtifactException extends SidecarException {

    private static final long serialVersionUID = 1L;

    public IncompatibleArtifactException(String message, Throwable cause) {
        super(message, cause);
    }
}
