package com.triageassistant.ml;

/**
 * Decides whether a freshly trained model replaces the one in service. Both are scored on the new training's
 * hold-out (the newest issues), so the comparison is like for like; the active model may have seen some of those
 * issues while training, which favours it and so errs on the side of keeping it.
 */
final class PromotionGuard {

    private final double tolerance;

    /** @param tolerance how much worse on the main metric a new model may be and still be promoted (0.02 = 2 points) */
    PromotionGuard(double tolerance) {
        this.tolerance = tolerance;
    }

    /**
     * @param activeOnSameHoldout the active model's main metric on the new hold-out; null when there is no active
     *                            model or it could not be scored (unreadable, other library versions)
     */
    boolean promote(double candidate, Double activeOnSameHoldout) {
        return activeOnSameHoldout == null || candidate >= activeOnSameHoldout - tolerance;
    }
}
