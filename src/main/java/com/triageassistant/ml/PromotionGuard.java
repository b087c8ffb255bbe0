package com.triageassistant.ml;

/** Decides whether a freshly trained model replaces the one in service, given both models' scores. */
final class PromotionGuard {

    private final double tolerance;

    /** @param tolerance how much worse on the main metric a new model may be and still be promoted (0.02 = 2 points) */
    PromotionGuard(double tolerance) {
        this.tolerance = tolerance;
    }

    /** @param active the active model's score on the same issues as {@code candidate}; null when there is none */
    boolean promote(double candidate, Double active) {
        return active == null || candidate >= active - tolerance;
    }
}
