package com.triageassistant.ml;

/**
 * What the Python sidecar implements (its {@code triage_ml.engine.Engine}, registered over Py4J as the Python
 * server entry point). Every call is stateless except the model cache behind {@link #load}/{@link #predict}:
 * a restarted sidecar has none, so callers reload what they need.
 *
 * <p>Byte payloads (datasets, artifacts, issue batches) are passed as where the caller put them in the
 * incarnation's payload directory: {@code slot:<index>:<length>} of its slots file, or the path of a file (see
 * {@link PayloadExchange}; Python reads nothing outside it); null means none. They are UTF-8 JSON unless said
 * otherwise. Results are returned directly, except that {@link #predict} and {@link #explain} may answer where
 * they wrote their JSON over the issues' payload: {@code slot:<index>:<length>} or the payload file's path.
 * Errors raise a Py4J exception whose message starts with
 * a code: {@code INCOMPATIBLE_ARTIFACT:} (unreadable, corrupt or of another artifact format: retrain),
 * {@code MODEL_NOT_LOADED:} (load it, then call again) or {@code INVALID_INPUT:}.
 */
public interface SidecarEngine {

    /** {@code {"pid", "python", "sklearn", "numpy", "rss_bytes", "models_loaded"}}. Cheap: used as the ping. */
    String health();

    /**
     * Trains one target ({@code assignee}, {@code labels}, {@code components}, {@code priority}) on a dataset
     * {@code {"issues": [...]}} (a payload file) and evaluates it on the chronological hold-out (the newest 20% by created).
     * {@code activeArtifact} (a payload file; may be null) is the model currently in service: it is scored on the same hold-out so
     * the caller can refuse a worse model. Returns a frame: 4 bytes big-endian length of the result JSON, the
     * JSON, then the artifact bytes (none when the result's status is not {@code trained}). Statuses:
     * {@code trained}; {@code insufficient_data} (with {@code needed}, {@code have}); {@code below_baseline} (the
     * model's hold-out {@code main_metric}/{@code main_value} lost to a prior on the same hold-out:
     * {@code "baseline": {"name": "majority" | "recency", "value"}}).
     */
    byte[] train(String target, String dataset, String optionsJson, String activeArtifact);

    /** Deserialises an artifact (a payload file) and keeps it under {@code modelId} for predictions. */
    void load(String modelId, String artifact);

    void unload(String modelId);

    /**
     * Ranks values for each issue of {@code {"issues": [...]}} (a payload file):
     * {@code {"predictions": [[{"value", "p", "suggest", "auto"}, ...], ...]}} in input order, the model's
     * {@code topK} best values each (whether it suggests them or not), or where that JSON was written over the
     * issues' payload (see above). {@code suggest} is the model's own decision (per-value threshold chosen on
     * validation for the best F1; at most one value of assignee and priority), {@code auto} its stricter
     * auto-apply decision (0.8 precision on validation). Answers of older sidecars lack both flags.
     */
    String predict(String modelId, String issues, int topK);

    /**
     * Like {@link #predict} and each value also carries {@code "because": [{"feature", "kind", "weight"}, ...]},
     * the {@code maxFeatures} features of that issue that pushed it most.
     */
    String explain(String modelId, String issues, int topK, int maxFeatures);
}
