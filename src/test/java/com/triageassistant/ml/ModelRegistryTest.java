package com.triageassistant.ml;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.triageassistant.support.AppInstance;
import com.triageassistant.support.NodeSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Model versions, promotion and rollback, and the durable training jobs, on the real store. */
class ModelRegistryTest {

    @TempDir
    static Path dataDir;

    static AppInstance app;
    static ModelRegistry registry;
    static TrainingJobs jobs;

    @BeforeAll
    static void start() {
        app = AppInstance.start(NodeSpec.single(dataDir), Map.of());
        registry = app.bean(ModelRegistry.class);
        jobs = app.bean(TrainingJobs.class);
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void oneActiveVersionAndTheNewestThreeArtifactsAreKept() {
        for (int i = 1; i <= 5; i++) {
            registry.record("t1", "P", "assignee", trained(ModelRegistry.ACTIVE, 0.5 + i / 100.0, i));
        }

        List<ModelRegistry.ModelVersion> versions = registry.versions("t1", "P", "assignee");
        assertThat(versions).extracting(ModelRegistry.ModelVersion::version).containsExactly(5, 4, 3, 2, 1);
        assertThat(versions).extracting(ModelRegistry.ModelVersion::status).containsExactly(
                ModelRegistry.ACTIVE, ModelRegistry.RETIRED, ModelRegistry.RETIRED, ModelRegistry.RETIRED,
                ModelRegistry.RETIRED);
        assertThat(versions).extracting(ModelRegistry.ModelVersion::hasArtifact)
                .containsExactly(true, true, true, false, false);
        assertThat(registry.artifact("t1", "P", "assignee", 5)).get().isEqualTo(new byte[]{1, 2, 5});
        assertThat(registry.activate("t1", "P", "assignee", 1)).as("artifact dropped").isFalse();
    }

    @Test
    void aRejectedVersionLeavesTheActiveOneInServiceAndRollbackRestoresAKeptVersion() {
        registry.record("t2", "P", "labels", trained(ModelRegistry.ACTIVE, 0.8, 1));
        registry.record("t2", "P", "labels", trained(ModelRegistry.ACTIVE, 0.82, 2));
        registry.record("t2", "P", "labels", trained(ModelRegistry.REJECTED, 0.4, 3));

        assertThat(registry.active("t2", "P", "labels")).get().extracting(ModelRegistry.ModelVersion::version)
                .isEqualTo(2);
        assertThat(registry.activate("t2", "P", "labels", 1)).isTrue();
        assertThat(registry.active("t2", "P", "labels")).get().extracting(ModelRegistry.ModelVersion::version)
                .isEqualTo(1);
        assertThat(registry.versions("t2", "P", "labels")).filteredOn(v -> v.status().equals(ModelRegistry.ACTIVE))
                .hasSize(1);
    }

    @Test
    void theGuardRefusesAModelWorseByMoreThanTheTolerance() {
        PromotionGuard guard = new PromotionGuard(0.02);

        assertThat(guard.promote(0.70, null)).isTrue();
        assertThat(guard.promote(0.79, 0.80)).isTrue();
        assertThat(guard.promote(0.77, 0.80)).isFalse();
    }

    @Test
    void requestsDebounceWhilePendingAndRunOnceMoreAfterARunningJob() {
        Instant later = Instant.now().plusSeconds(600);
        jobs.request("t3", "P", "priority", "new-data", later);
        TrainingJobs.Job again = jobs.request("t3", "P", "priority", "new-data", later.plusSeconds(600));
        assertThat(again.nextRunAt()).isEqualTo(later);

        TrainingJobs.Job sooner = jobs.request("t3", "P", "priority", "admin", Instant.now());
        assertThat(sooner.reason()).isEqualTo("admin");
        jobs.started(sooner, "node-a");
        jobs.request("t3", "P", "priority", "new-data", Instant.now());
        jobs.finished(jobs.find("t3", "P", "priority").orElseThrow());

        assertThat(jobs.find("t3", "P", "priority")).get().extracting(TrainingJobs.Job::state)
                .isEqualTo(TrainingJobs.PENDING);
    }

    @Test
    void aJobLeftRunningByADeadNodeOrACrashIsQueuedAgain() {
        jobs.request("t4", "P", "assignee", "backfill", Instant.now());
        jobs.request("t4", "P", "labels", "backfill", Instant.now());
        jobs.request("t4", "P", "priority", "backfill", Instant.now());
        jobs.started(jobs.find("t4", "P", "assignee").orElseThrow(), "gone-node");
        jobs.started(jobs.find("t4", "P", "labels").orElseThrow(), "this-node");
        jobs.started(jobs.find("t4", "P", "priority").orElseThrow(), "this-node");

        jobs.requeueRunningExcept(Set.of("this-node"), Set.of("t4/P/labels"), "this-node");

        assertThat(jobs.find("t4", "P", "assignee")).get().extracting(TrainingJobs.Job::state)
                .as("its node left").isEqualTo(TrainingJobs.PENDING);
        assertThat(jobs.find("t4", "P", "priority")).get().extracting(TrainingJobs.Job::state)
                .as("this node crashed while running it").isEqualTo(TrainingJobs.PENDING);
        assertThat(jobs.find("t4", "P", "labels")).get().extracting(TrainingJobs.Job::state)
                .as("still running here").isEqualTo(TrainingJobs.RUNNING);
    }

    private static ModelRegistry.NewVersion trained(String status, double value, int tag) {
        return new ModelRegistry.NewVersion(status, new byte[]{1, 2, (byte) tag}, "1.9.1", "2.3.5", "top3", value,
                null, 100, "{}");
    }
}
