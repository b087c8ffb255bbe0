package com.triageassistant.backup;

/**
 * A snapshot could not be taken; already logged where it failed.
 *
 * @see #rejected() Ignite refused to start it (another snapshot or a restore is under way)
 */
public class SnapshotFailedException extends RuntimeException {

    private final boolean rejected;

    SnapshotFailedException(String message, boolean rejected, Throwable cause) {
        super(message, cause);
        this.rejected = rejected;
    }

    /** Ignite refused to start it because another snapshot operation is under way: trying later will do. */
    public boolean rejected() {
        return rejected;
    }
}
