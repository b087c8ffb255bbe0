package com.triageassistant.ingest;

/** A delivery or search result whose content is not what Jira sends: processing it again will not help. */
class InvalidPayloadException extends RuntimeException {

    InvalidPayloadException(String message) {
        super(message);
    }
}
