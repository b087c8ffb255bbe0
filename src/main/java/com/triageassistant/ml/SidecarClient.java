package com.triageassistant.ml;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * What the app calls to train and use models in the sidecar. Every call goes to the sidecar incarnation running
 * when it is made and is bounded by its time-out; errors arrive as {@link SidecarException} subclasses.
 *
 * <p>A restarted sidecar holds no models. The client remembers which model ids each incarnation has loaded, so a
 * predict or explain on an incarnation that has not loaded the model loads it first from the caller's artifact
 * supplier; a {@code MODEL_NOT_LOADED} answer reloads it and retries once.
 */
@Component
public class SidecarClient {

    private static final Logger log = LoggerFactory.getLogger(SidecarClient.class);

    private final SidecarSupervisor supervisor;
    private final SidecarProperties properties;
    private final ObjectMapper json;
    private final AtomicReference<LoadedModels> loaded = new AtomicReference<>(new LoadedModels(0, Set.of()));
    /**
     * Predictions and explanations go to the sidecar one at a time (fairly); payloads are written and answers read
     * outside. Python runs one at a time anyway (the GIL), and two at once pass the GIL back and forth at every
     * numpy call that releases it. {@code SidecarBenchmark}, 1k model, 100-issue batches, two callers as the
     * serving path has: 0.67 of in-process speed without this lock (one caller 0.76 in that run), 0.85 with it
     * (one caller 0.79).
     */
    private final ReentrantLock serving = new ReentrantLock(true);

    private final SidecarMeters meters;

    public SidecarClient(SidecarSupervisor supervisor, SidecarProperties properties, ObjectMapper json,
                         SidecarMeters meters) {
        this.meters = meters;
        this.supervisor = supervisor;
        this.properties = properties;
        this.json = json;
    }

    /** The model ids one incarnation holds (a set that is replaced, never cleared, when the incarnation changes). */
    private record LoadedModels(long incarnation, Set<String> ids) {
    }

    public SidecarStatus status() {
        return supervisor.status();
    }

    /** The running sidecar's own {@code health()} (pid, versions, RSS, models loaded), asked now. */
    public JsonNode health() {
        String answer = meters.timed("health", () -> supervisor.current().call("health", SidecarEngine::health,
                properties.predictTimeout()));
        try {
            return json.readTree(answer);
        } catch (IOException e) {
            throw new SidecarException("health answered no JSON", e);
        }
    }

    /**
     * Trains one target ({@code assignee}, {@code labels}, {@code components}, {@code priority}) on a dataset
     * {@code {"issues": [...]}}; see {@link SidecarEngine#train}. {@code activeArtifact} may be null.
     */
    public TrainingOutcome train(String target, byte[] dataset, String optionsJson, byte[] activeArtifact) {
        return meters.timed("train", () -> trainOn(supervisor.current(), target, dataset, optionsJson,
                activeArtifact));
    }

    private TrainingOutcome trainOn(SidecarProcess sidecar, String target, byte[] dataset, String optionsJson,
                                    byte[] activeArtifact) {
        try (PayloadExchange.Payload data = sidecar.payload(dataset);
             PayloadExchange.Payload active = sidecar.payload(activeArtifact)) {
            byte[] frame = sidecar.call("train " + target,
                    engine -> engine.train(target, data.path(), optionsJson, active.path()), properties.trainTimeout());
            return TrainingOutcome.parse(frame, json);
        }
    }

    /** Loads an artifact under {@code modelId} into the running sidecar (and remembers it did). */
    public void load(String modelId, byte[] artifact) {
        load(supervisor.current(), modelId, artifact);
    }

    public void unload(String modelId) {
        meters.timed("unload", () -> {
            SidecarProcess sidecar = supervisor.current();
            sidecar.call("unload", engine -> {
                engine.unload(modelId);
                return null;
            }, properties.predictTimeout());
            return modelsOf(sidecar).remove(modelId);
        });
    }

    /**
     * Ranked values per issue of {@code {"issues": [...]}}: the engine's JSON text
     * {@code {"predictions": [[{"value", "p"}, ...], ...]}}, returned as is so callers parse only what they need.
     */
    public String predict(String modelId, Supplier<byte[]> artifact, byte[] issues, int topK) {
        return withModel(modelId, artifact, "predict", issues,
                (sidecar, payload) -> sidecar.call("predict", engine -> engine.predict(modelId, payload, topK),
                        properties.predictTimeout()));
    }

    /** Like {@link #predict}; each value also names the features that pushed it most. */
    public String explain(String modelId, Supplier<byte[]> artifact, byte[] issues, int topK, int maxFeatures) {
        return withModel(modelId, artifact, "explain", issues,
                (sidecar, payload) -> sidecar.call("explain",
                        engine -> engine.explain(modelId, payload, topK, maxFeatures), properties.predictTimeout()));
    }

    private interface ModelCall {
        /** @param issues the path of the issues' payload file */
        String on(SidecarProcess sidecar, String issues);
    }

    private String withModel(String modelId, Supplier<byte[]> artifact, String operation, byte[] issues,
                             ModelCall call) {
        return meters.timed(operation, () -> withModelOn(supervisor.current(), modelId, artifact, operation, issues,
                call));
    }

    private String withModelOn(SidecarProcess sidecar, String modelId, Supplier<byte[]> artifact, String operation,
                               byte[] issues, ModelCall call) {
        if (!modelsOf(sidecar).contains(modelId)) {
            load(sidecar, modelId, artifact.get());
        }
        try (PayloadExchange.Payload payload = sidecar.payload(issues)) {
            String answer;
            serving.lock();
            try {
                answer = call.on(sidecar, payload.path());
            } catch (ModelNotLoadedException e) {
                log.info("{}: sidecar {} did not hold model {}; reloading it", operation, sidecar.incarnation(),
                        modelId);
                load(sidecar, modelId, artifact.get());
                answer = call.on(sidecar, payload.path());
            } finally {
                serving.unlock();
            }
            // Read once the next call may go: the answer stays in this payload's slot or file until it is closed.
            return payload.answer(answer);
        }
    }

    private void load(SidecarProcess sidecar, String modelId, byte[] artifact) {
        try (PayloadExchange.Payload payload = sidecar.payload(artifact)) {
            meters.timed("load", () -> sidecar.call("load", engine -> {
                engine.load(modelId, payload.path());
                return null;
            }, properties.predictTimeout()));
        }
        modelsOf(sidecar).add(modelId);
        meters.loaded();
    }

    private Set<String> modelsOf(SidecarProcess sidecar) {
        long incarnation = sidecar.incarnation();
        LoadedModels models = loaded.get();
        if (models.incarnation() < incarnation) {
            models = loaded.updateAndGet(current -> current.incarnation() >= incarnation ? current
                    : new LoadedModels(incarnation, ConcurrentHashMap.newKeySet()));
        }
        // A call still finishing on an older incarnation must not reset the newer one's set.
        return models.incarnation() == incarnation ? models.ids() : ConcurrentHashMap.newKeySet();
    }
}
