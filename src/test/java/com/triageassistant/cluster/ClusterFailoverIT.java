package com.triageassistant.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.triageassistant.jira.emulator.EmulatedIssue;
import com.triageassistant.jira.emulator.EmulatedSite;
import com.triageassistant.jira.emulator.EmulatedUser;
import com.triageassistant.jira.emulator.JiraEmulator;
import com.triageassistant.jira.generator.GeneratorConfig;
import com.triageassistant.jira.generator.ProjectGenerator;
import com.triageassistant.support.AppCluster;
import com.triageassistant.support.AppProcess;
import com.triageassistant.support.SidecarProcesses;
import com.triageassistant.support.WebhookStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three instances of the jar, as processes, behind a load balancer. The instance that holds a tenant's data, and
 * so trains its models, is {@code kill -9}-ed while a training job runs on it and webhooks keep coming: no
 * delivery Jira saw acknowledged is lost, the job finishes on another instance, the others keep answering.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class ClusterFailoverIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void killingTheInstanceThatTrainsLosesNoAcknowledgedDeliveryAndTheJobFinishesElsewhere() throws Exception {
        try (JiraEmulator jira = new JiraEmulator(AppCluster.JIRA_LIKE_RETRIES, Clock.systemUTC());
             AppCluster cluster = new AppCluster(dir, 3, "384m", Stream.concat(AppProcess.repositorySidecar().stream(),
                     Stream.of("--atlassian.connect.public-key-base-url=" + jira.keyServerUrl(),
                     "--triage.training.targets=assignee,priority",
                     "--triage.training.retry-initial-delay=1s",
                     // The sidecar is frozen on purpose below; no ping may replace it before the kill.
                     "--triage.ml.ping-interval=5m")).toList())) {
            try {
                failOver(jira, cluster);
            } catch (Throwable failed) {
                System.out.println(cluster.logTails(60));
                throw failed;
            }
        }
    }

    private void failOver(JiraEmulator jira, AppCluster cluster) throws Exception {
        cluster.start();
        EmulatedSite site = jira.createSite("failover");
        site.load(new ProjectGenerator(GeneratorConfig.defaults(11, "FO").withIssueCount(1_500)).generate());
        EmulatedUser admin = site.createUser("Admin");
        site.makeProjectAdmin("FO", admin.accountId());
        WebhookStream stream = new WebhookStream(site, "HOOK");
        assertThat(site.install(cluster.url())).isEqualTo(204);
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).until(() -> jobs(site).stream()
                .allMatch(job -> job.path("job").path("state").asText().equals("DONE")
                        && job.path("versions").size() > 0));
        // HOOK's backfill (of an empty project) is over: from now on its issues reach the store by webhook only.
        assertThat(history(site, "HOOK").path("backfill").path("state").asText()).isEqualTo("DONE");
        assertThat(issuesKnown(site, "HOOK")).isZero();
        String owner = job(site, "assignee").path("node").asText();
        int x = cluster.indexOf(owner);
        long sidecarPid = cluster.sidecarPid(x);
        // The pid health reported must be this test's sidecar, the child of the instance about to be killed.
        assertThat(ProcessHandle.of(sidecarPid).flatMap(ProcessHandle::parent).map(ProcessHandle::pid))
                .contains(cluster.instance(x).handle().pid());
        EmulatedIssue someIssue = site.issues("FO").get(0);

        stream.start(Duration.ofMillis(100));
        await().atMost(Duration.ofSeconds(30)).until(() -> stream.acknowledged().size() >= 10);
        // Frozen, so the training cannot finish before the kill however fast the machine is.
        ProcessHandle sidecar = SidecarProcesses.freeze(sidecarPid);
        String target;
        int versionBefore;
        int filedBeforeKill;
        try {
            assertThat(site.callAppWithToken("POST", "/api/projects/FO/train", null,
                    site.contextToken(admin.accountId())).statusCode()).isEqualTo(202);
            target = await().atMost(Duration.ofSeconds(30)).until(() -> runningOn(site, owner), t -> t != null);
            versionBefore = newestVersion(site, target);
            filedBeforeKill = stream.created();
            cluster.instance(x).kill();
            assertThat(cluster.instance(x).isAlive()).isFalse();
        } finally {
            // Its JVM is gone; a stopped Python would never read the end of its stdin.
            sidecar.destroyForcibly();
        }

        List<String> unanswered = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger probes = new AtomicInteger();
        ScheduledExecutorService probe = Executors.newSingleThreadScheduledExecutor();
        probe.scheduleWithFixedDelay(() -> probeSurvivors(cluster, x, site, admin, someIssue, unanswered, probes),
                0, 500, TimeUnit.MILLISECONDS);
        try {
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                JsonNode job = job(site, target);
                return job.path("state").asText().equals("DONE") && newestVersion(site, target) > versionBefore;
            });
            // Executed (claimed, trained, finished) by a survivor: the row names the node that ran it.
            assertThat(job(site, target).path("node").asText()).isNotEqualTo(owner)
                    .isIn(cluster.consistentIdsExcept(x));
            // The baseline follows membership: the dead instance is dropped and every partition has two copies again.
            cluster.awaitStable(Duration.ofMinutes(1));
            // The other target, queued behind it on the dead node, is not lost either.
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1)).until(() -> jobs(site).stream()
                    .allMatch(job -> job.path("job").path("state").asText().equals("DONE")));

            int created = stream.stop();
            assertThat(created).as("issues filed after the kill").isGreaterThan(filedBeforeKill);
            assertThat(site.awaitWebhooks(Duration.ofMinutes(1))).isTrue();
            // Jira retries what the dead instance did not acknowledge: every delivery ends acknowledged...
            assertThat(stream.acknowledged()).hasSize(created);
            // ...and each of those distinct issues is in the store (HOOK is fed by webhooks only, see above).
            await().atMost(Duration.ofMinutes(1)).until(() -> issuesKnown(site, "HOOK") == created);
            assertThat(status(site).path("inboxDead").asLong()).isZero();
            // The probing covered the whole failover: one more round ends after all of the above.
            int rounds = probes.get();
            await().atMost(Duration.ofMinutes(1)).until(() -> probes.get() > rounds);
        } finally {
            // The round under way finishes (interrupting it would count as unanswered); no new one starts.
            probe.shutdown();
            if (!probe.awaitTermination(1, TimeUnit.MINUTES)) {
                probe.shutdownNow();
            }
        }
        assertThat(unanswered).isEmpty();
        System.out.printf("failover: %d deliveries, %d failed attempts retried, job %s moved from %s to %s, "
                        + "%d probe rounds answered%n", stream.created(), stream.failedAttempts(), target, owner,
                job(site, target).path("node").asText(), probes.get());
    }

    /**
     * The surviving instances' health, and the app's API and glance through the load balancer, answer throughout.
     * Never throws: an exception would end the schedule silently.
     */
    private static void probeSurvivors(AppCluster cluster, int dead, EmulatedSite site, EmulatedUser user,
                                       EmulatedIssue issue, List<String> unanswered, AtomicInteger probes) {
        for (int i = 0; i < cluster.size(); i++) {
            if (i != dead) {
                int index = i;
                expect200("health of instance " + i, () -> cluster.instance(index).get("/actuator/health"),
                        unanswered);
            }
        }
        expect200("history through the load balancer",
                () -> site.callApp("GET", "/api/projects/FO/history", null, null), unanswered);
        expect200("glance through the load balancer", () -> site.callAppWithToken("GET", "/api/issues/" + issue.id()
                + "/glance?issueKey=" + issue.key() + "&projectKey=FO", null, site.contextToken(user.accountId())),
                unanswered);
        probes.incrementAndGet();
    }

    private static void expect200(String what, Callable<HttpResponse<String>> request, List<String> unanswered) {
        try {
            int status = request.call().statusCode();
            if (status != 200) {
                unanswered.add(what + ": " + status);
            }
        } catch (Exception e) {
            unanswered.add(what + ": " + e);
        }
    }

    private static List<JsonNode> jobs(EmulatedSite site) throws Exception {
        List<JsonNode> targets = new ArrayList<>();
        JSON.readTree(site.callApp("GET", "/api/projects/FO/models", null, null).body()).forEach(targets::add);
        return targets;
    }

    private static JsonNode target(EmulatedSite site, String target) throws Exception {
        return jobs(site).stream().filter(node -> node.path("target").asText().equals(target)).findFirst()
                .orElseThrow();
    }

    private static JsonNode job(EmulatedSite site, String target) throws Exception {
        return target(site, target).path("job");
    }

    private static int newestVersion(EmulatedSite site, String target) throws Exception {
        int newest = 0;
        for (JsonNode version : target(site, target).path("versions")) {
            newest = Math.max(newest, version.path("version").asInt());
        }
        return newest;
    }

    /** The target whose job runs on {@code node}, if any. */
    private static String runningOn(EmulatedSite site, String node) throws Exception {
        for (JsonNode target : jobs(site)) {
            JsonNode job = target.path("job");
            if (job.path("state").asText().equals("RUNNING") && job.path("node").asText().equals(node)) {
                return target.path("target").asText();
            }
        }
        return null;
    }

    private static JsonNode history(EmulatedSite site, String project) throws Exception {
        return JSON.readTree(site.callApp("GET", "/api/projects/" + project + "/history", null, null).body());
    }

    private static long issuesKnown(EmulatedSite site, String project) throws Exception {
        return history(site, project).path("issuesKnown").asLong();
    }

    private static JsonNode status(EmulatedSite site) throws Exception {
        return JSON.readTree(site.callApp("GET", "/api/ingest/status", null, null).body());
    }
}
