package com.triageassistant.ml;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.triageassistant.ingest.IssueRecord;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;

/**
 * Groups prediction requests by model for up to {@code batchMaxWait} or {@code batchMaxSize} items, whichever comes
 * first: under load one sidecar call serves many issues (throughput rises with load), while a lone request waits
 * only a few milliseconds.
 *
 * <p>At shutdown the requests already made are answered: waiting batches go at once and calls finish, for up to
 * {@code shutdownGrace}, while the sidecar is still up (Spring stops this bean before the client it uses). Nothing
 * else would ask for those suggestions again until their issues change.
 */
@Component
public class PredictionBatcher implements DisposableBean {

    /** The model version a prediction is asked of. */
    public record ModelRef(String clientKey, String projectKey, String target, int version) {

        String id() {
            return slot() + "/" + version;
        }

        /** The tenant's project and target, whatever the version. */
        String slot() {
            return clientKey + "/" + projectKey + "/" + target;
        }
    }

    private record Pending(IssueRecord issue, CompletableFuture<String> result) {
    }

    /** The metric of how many issues each sidecar call carried: how much batching is happening. */
    public static final String BATCH_SIZE = "triage.serving.batch.size";

    private final SidecarClient sidecar;
    private final ModelRegistry registry;
    private final DistributionSummary batchSizes;
    private final ServingProperties props;
    private final ObjectMapper json;
    private final ScheduledExecutorService timer;
    private final ThreadPoolExecutor calls;
    private final Map<ModelRef, List<Pending>> open = new HashMap<>();
    /** Guarded by {@code open}: set once shutdown begins, after which requests fail at once. */
    private boolean closing;
    /** Per slot, the newest version predicted with: the sidecar keeps that one loaded and drops older ones. */
    private final Map<String, Integer> served = new ConcurrentHashMap<>();

    PredictionBatcher(SidecarClient sidecar, ModelRegistry registry, ServingProperties props, ObjectMapper json,
                      MeterRegistry meters) {
        this.sidecar = sidecar;
        this.registry = registry;
        this.props = props;
        this.json = json;
        this.batchSizes = DistributionSummary.builder(BATCH_SIZE).baseUnit("issues")
                .description("issues per sidecar call of the serving path").register(meters);
        this.timer = Executors.newSingleThreadScheduledExecutor(new CustomizableThreadFactory("predict-batch-"));
        this.calls = new ThreadPoolExecutor(props.threads(), props.threads(), 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), new CustomizableThreadFactory("predict-"));
    }

    /**
     * The ranked values for one issue, each with the features behind it, as JSON text
     * {@code [{"value", "p", "because"}, ...]} (stored as it is). Fails with the sidecar's exceptions
     * ({@link SidecarUnavailableException}, {@link IncompatibleArtifactException}).
     */
    public CompletableFuture<String> explain(ModelRef model, IssueRecord issue) {
        Pending pending = new Pending(issue, new CompletableFuture<>());
        List<Pending> full = null;
        synchronized (open) {
            if (closing) {
                return CompletableFuture.failedFuture(new SidecarUnavailableException("the app is shutting down"));
            }
            List<Pending> batch = open.get(model);
            if (batch == null) {
                List<Pending> created = new ArrayList<>();
                open.put(model, created);
                batch = created;
                timer.schedule(() -> flush(model, created), props.batchMaxWait().toNanos(), TimeUnit.NANOSECONDS);
            }
            batch.add(pending);
            if (batch.size() >= props.batchMaxSize()) {
                open.remove(model);
                full = batch;
            }
        }
        if (full != null) {
            send(model, full);
        }
        return pending.result();
    }

    private void flush(ModelRef model, List<Pending> batch) {
        synchronized (open) {
            if (!open.remove(model, batch)) {
                return;
            }
        }
        send(model, batch);
    }

    private void send(ModelRef model, List<Pending> batch) {
        try {
            calls.execute(new Call(model, batch));
        } catch (RejectedExecutionException e) {
            fail(batch, new SidecarUnavailableException("the app is shutting down"));
        }
    }

    /** One sidecar call for one batch; a class, not a lambda, so that shutdown can fail the batches never sent. */
    private final class Call implements Runnable {

        private final ModelRef model;
        private final List<Pending> batch;

        Call(ModelRef model, List<Pending> batch) {
            this.model = model;
            this.batch = batch;
        }

        @Override
        public void run() {
            batchSizes.record(batch.size());
            try {
                byte[] issues = TrainingData.of(batch.stream().map(Pending::issue).toList());
                String answer = sidecar.explain(model.id(), () -> artifact(model), issues, props.topK(),
                        props.maxFeatures());
                List<String> ranked = rankedLists(answer, json.getFactory());
                if (ranked.size() != batch.size()) {
                    throw new SidecarException("the sidecar explained " + ranked.size() + " issues of "
                            + batch.size(), null);
                }
                for (int i = 0; i < batch.size(); i++) {
                    batch.get(i).result().complete(ranked.get(i));
                }
                unloadSuperseded(model);
            } catch (IOException e) {
                fail(batch, new SidecarException("predictions are not JSON", e));
            } catch (RuntimeException e) {
                fail(batch, e);
            }
        }
    }

    /**
     * Once a newer version of a slot has served, the older one is unloaded from the sidecar. Without this every
     * version ever used stayed loaded: the soak saw the sidecar grow by ~2.5 MB per retraining, for ever.
     */
    private void unloadSuperseded(ModelRef model) {
        int[] previous = {-1};
        served.compute(model.slot(), (slot, newest) -> {
            if (newest == null || newest < model.version()) {
                previous[0] = newest == null ? -1 : newest;
                return model.version();
            }
            return newest;
        });
        if (previous[0] >= 0) {
            try {
                sidecar.unload(new ModelRef(model.clientKey(), model.projectKey(), model.target(), previous[0]).id());
            } catch (RuntimeException e) {
                // the sidecar is gone or going: its replacement starts with no models loaded
            }
        }
    }

    private byte[] artifact(ModelRef model) {
        return registry.artifact(model.clientKey(), model.projectKey(), model.target(), model.version())
                .orElseThrow(() -> new IncompatibleArtifactException("model " + model.id() + " has no artifact", null));
    }

    /**
     * The text of each element of the answer's {@code "predictions"} array, each checked to be a JSON array. Sliced
     * out of the answer while a streaming parser checks it: parsing it into a tree, only for each issue's part to be
     * written out again for storage, was a third of the serving threads' time at saturation.
     */
    static List<String> rankedLists(String answer, JsonFactory factory) throws IOException {
        try (JsonParser parser = factory.createParser(answer)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new JsonParseException(parser, "the answer is not a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                boolean predictions = "predictions".equals(parser.currentName());
                if (parser.nextToken() == JsonToken.START_ARRAY && predictions) {
                    List<String> ranked = new ArrayList<>();
                    while (parser.nextToken() == JsonToken.START_ARRAY) {
                        int start = (int) parser.currentTokenLocation().getCharOffset();
                        parser.skipChildren();
                        ranked.add(answer.substring(start, (int) parser.currentLocation().getCharOffset()));
                    }
                    if (parser.currentToken() != JsonToken.END_ARRAY) {
                        throw new JsonParseException(parser, "a prediction is not a JSON array");
                    }
                    return ranked;
                }
                parser.skipChildren();
            }
            throw new JsonParseException(parser, "the answer has no \"predictions\" array");
        }
    }

    private static void fail(List<Pending> batch, Throwable error) {
        batch.forEach(pending -> pending.result().completeExceptionally(error));
    }

    @Override
    public void destroy() throws InterruptedException {
        Map<ModelRef, List<Pending>> waiting;
        synchronized (open) {
            closing = true;
            waiting = new HashMap<>(open);
            open.clear();
        }
        long deadline = System.nanoTime() + props.shutdownGrace().toNanos();
        timer.shutdownNow();
        // A flush that took its batch before the lock above sends it once the timer has stopped.
        timer.awaitTermination(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        waiting.forEach(this::send);
        calls.shutdown();
        if (!calls.awaitTermination(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
            // Calls under way are not interrupted (that would break them inside Ignite or Py4J); they end with the
            // sidecar at the latest. The queued ones will never go.
            List<Runnable> queued = new ArrayList<>();
            calls.getQueue().drainTo(queued);
            SidecarUnavailableException stopped = new SidecarUnavailableException(
                    "the app stopped before the sidecar was asked");
            queued.forEach(call -> fail(((Call) call).batch, stopped));
        }
    }
}
