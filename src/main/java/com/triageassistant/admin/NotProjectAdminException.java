package com.triageassistant.admin;

/** Only project admins change a project's settings or retrain its models. */
class NotProjectAdminException extends RuntimeException {

    NotProjectAdminException() {
        super("not a project admin", null, false, false);
    }
}
