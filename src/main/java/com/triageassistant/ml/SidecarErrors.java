package com.triageassistant.ml;

import py4j.Py4JException;
import py4j.Py4JNetworkException;

/**
 * Turns what a Py4J call threw into the exception the caller can act on. The engine's coded errors arrive as a
 * Py4JException whose message contains {@code CODE: detail} (after Py4J's own preamble).
 */
final class SidecarErrors {

    static final String INCOMPATIBLE_ARTIFACT = "INCOMPATIBLE_ARTIFACT:";
    static final String MODEL_NOT_LOADED = "MODEL_NOT_LOADED:";
    static final String INVALID_INPUT = "INVALID_INPUT:";

    private SidecarErrors() {
    }

    static SidecarException translate(String operation, long incarnation, Throwable error, boolean alive) {
        String message = error.getMessage() == null ? "" : error.getMessage();
        String where = operation + " on sidecar " + incarnation + ": ";
        if (message.contains(INCOMPATIBLE_ARTIFACT)) {
            return new IncompatibleArtifactException(where + coded(message, INCOMPATIBLE_ARTIFACT), error);
        }
        if (message.contains(MODEL_NOT_LOADED)) {
            return new ModelNotLoadedException(where + coded(message, MODEL_NOT_LOADED), error);
        }
        if (message.contains(INVALID_INPUT)) {
            return new InvalidModelInputException(where + coded(message, INVALID_INPUT), error);
        }
        if (lostConnection(error) || !alive) {
            return new SidecarUnavailableException(where + "connection lost"
                    + (alive ? "" : " (the process exited)"), error);
        }
        if (error instanceof Py4JException) {
            // A Python error the engine did not code (a bug): its traceback's last line names it.
            return new SidecarException(where + "Python raised " + lastLine(message), error);
        }
        return new SidecarException(where + error, error);
    }

    /**
     * Py4J wraps a broken connection ({@code Py4JNetworkException}) in a plain {@code Py4JException} ("Error while
     * sending a command") when the callback client gives up: a sidecar killed mid-call, even before the JVM has
     * seen the process exit.
     */
    private static boolean lostConnection(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof Py4JNetworkException) {
                return true;
            }
        }
        return false;
    }

    /** From the code on, first line only: the engine's messages name ids and counts, never issue text. */
    private static String coded(String message, String code) {
        String rest = message.substring(message.indexOf(code));
        int newline = rest.indexOf('\n');
        return newline < 0 ? rest.strip() : rest.substring(0, newline).strip();
    }

    private static String lastLine(String message) {
        String trimmed = message.strip();
        int newline = trimmed.lastIndexOf('\n');
        return newline < 0 ? trimmed : trimmed.substring(newline + 1);
    }
}
