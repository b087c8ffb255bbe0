package com.triageassistant.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.triageassistant.jira.emulator.WebhookPolicy;
import org.awaitility.Awaitility;

/**
 * Instances of the packaged jar as separate processes on loopback forming one Ignite cluster, behind a
 * {@link LoadBalancer} whose URL is every instance's {@code addon.base-url} (Jira knows the app by that URL only).
 * Each instance has its own ports, work directory, consistent id and sidecar, kept across restarts.
 */
public final class AppCluster implements AutoCloseable {

    /** Jira's webhook retries (5 retries, growing gaps) on a test's time scale, for the emulator in front of it. */
    public static final WebhookPolicy JIRA_LIKE_RETRIES = new WebhookPolicy(List.of(Duration.ofSeconds(1),
            Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8), Duration.ofSeconds(15)),
            Duration.ofSeconds(2), Duration.ofSeconds(10));

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<NodeSpec> nodes;
    private final List<AppProcess> instances = new ArrayList<>();
    private final LoadBalancer balancer;

    public AppCluster(Path dir, int size, String maxHeap, List<String> extraArguments) throws IOException {
        this.nodes = NodeSpec.cluster(dir, size);
        List<Integer> httpPorts = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            httpPorts.add(FreePorts.next());
        }
        this.balancer = new LoadBalancer(httpPorts.stream().map(port -> "http://localhost:" + port).toList());
        for (int i = 0; i < size; i++) {
            Path workDir = Files.createDirectories(dir.resolve("instance-" + i));
            List<String> arguments = new ArrayList<>(List.of("--addon.base-url=" + balancer.url()));
            arguments.addAll(extraArguments);
            instances.add(new AppProcess(workDir, httpPorts.get(i), nodes.get(i), maxHeap, arguments));
        }
    }

    /** The first instance starts (and activates) the cluster, the others join it together. */
    public void start() {
        instances.get(0).start();
        CompletableFuture.allOf(instances.subList(1, instances.size()).stream()
                .map(instance -> CompletableFuture.runAsync(instance::start)).toArray(CompletableFuture[]::new)).join();
        awaitStable(Duration.ofMinutes(2));
    }

    /** The URL Jira and browsers use. */
    public String url() {
        return balancer.url();
    }

    public AppProcess instance(int index) {
        return instances.get(index);
    }

    public int size() {
        return instances.size();
    }

    public int indexOf(String consistentId) {
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.get(i).consistentId().equals(consistentId)) {
                return i;
            }
        }
        throw new AssertionError("no instance " + consistentId);
    }

    /** The consistent ids of every instance but {@code index}. */
    public List<String> consistentIdsExcept(int index) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            if (i != index) {
                ids.add(nodes.get(i).consistentId());
            }
        }
        return ids;
    }

    public JsonNode health(int index) throws IOException, InterruptedException {
        return JSON.readTree(instance(index).get("/actuator/health").body());
    }

    /** The pid of the instance's sidecar, once it is up. */
    public long sidecarPid(int index) {
        return Awaitility.await().atMost(Duration.ofMinutes(1)).until(
                () -> health(index).path("components").path("sidecar").path("details").path("pid").asLong(-1),
                pid -> pid > 1);
    }

    /**
     * Every running instance sees all running instances, in the baseline, with every partition where the baseline
     * wants it: the state in which one more instance may go down without any data being left with no copy.
     */
    public void awaitStable(Duration within) {
        Awaitility.await().atMost(within).pollInterval(Duration.ofMillis(500)).until(() -> {
            List<Integer> live = new ArrayList<>();
            for (int i = 0; i < size(); i++) {
                if (instance(i).isAlive()) {
                    live.add(i);
                }
            }
            for (int i : live) {
                JsonNode ignite = health(i).path("components").path("ignite").path("details");
                if (ignite.path("serverNodes").asInt() != live.size() || ignite.path("baselineNodes").asInt() != live.size()
                        || !ignite.path("rebalanced").asBoolean()) {
                    return false;
                }
            }
            return true;
        });
    }

    /** The last lines of every instance's current log, for a failing test's report (the directory goes with it). */
    public String logTails(int lines) {
        StringBuilder tails = new StringBuilder();
        for (int i = 0; i < size(); i++) {
            List<String> all;
            try {
                all = Files.readAllLines(instance(i).log());
            } catch (IOException | RuntimeException e) {
                all = List.of("(no log: " + e + ")");
            }
            tails.append("==== instance ").append(i).append(" (").append(nodes.get(i).consistentId()).append(")\n");
            all.subList(Math.max(0, all.size() - lines), all.size()).forEach(line -> tails.append(line).append('\n'));
        }
        return tails.toString();
    }

    @Override
    public void close() {
        instances.forEach(AppProcess::close);
        balancer.close();
    }
}
