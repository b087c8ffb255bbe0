package com.triageassistant.operations;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;

/**
 * Runs the samplers of gauges that need a query, every {@code triage.operations.gauge-refresh}, on one thread: a
 * scrape (or several Prometheus servers scraping) reads the last sample and never queries the store itself. The
 * samplers belong to their features; each keeps its own values.
 */
@Component
public class SampledGauges implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SampledGauges.class);

    private final OperationsProperties props;
    private final List<Runnable> samplers = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            new CustomizableThreadFactory("gauge-sampler-"));
    private volatile boolean running;

    SampledGauges(OperationsProperties props) {
        this.props = props;
    }

    /** {@code sampler} refreshes its gauges' values; a failing one keeps its last values until the next turn. */
    public void add(Runnable sampler) {
        samplers.add(sampler);
    }

    @Override
    public void start() {
        running = true;
        scheduler.scheduleWithFixedDelay(this::sampleAll, 0, props.gaugeRefresh().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void sampleAll() {
        for (Runnable sampler : samplers) {
            try {
                sampler.run();
            } catch (RuntimeException e) {
                log.debug("A gauge sample failed; keeping the last values", e);
            }
        }
    }

    @Override
    public void stop() {
        running = false;
        scheduler.shutdownNow();
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
