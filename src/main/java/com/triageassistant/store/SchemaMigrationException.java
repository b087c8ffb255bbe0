package com.triageassistant.store;

/** Start-up must stop: the schema is not what this version of the app needs. */
public class SchemaMigrationException extends RuntimeException {

    public SchemaMigrationException(String message) {
        super(message);
    }

    public SchemaMigrationException(String message, Throwable cause) {
        super(message, cause);
    }
}
