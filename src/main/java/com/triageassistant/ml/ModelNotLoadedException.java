package com.triageassistant.ml;

/**
 * The sidecar does not hold the model a call named. {@link SidecarClient} reloads it and retries once, so callers
 * see this only if the model vanished again at once.
 */
public class ModelNotLoadedException extends SidecarException {

    private static final long serialVersionUID = 1L;

    public ModelNotLoadedException(String message, Throwable cause) {
        super(message, cause);
    }
}
