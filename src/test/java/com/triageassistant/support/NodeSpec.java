package com.triageassistant.support;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One Ignite node's identity for a test: its own ports and data directory, kept across restarts so the node
 * comes back with its data. {@code peers} are the discovery ports of the whole (test) cluster. {@code testSized}
 * shrinks its memory region and write-ahead log so several fit on a test machine; a benchmark keeps the defaults.
 */
public record NodeSpec(String consistentId, Path workDir, int discoveryPort, int communicationPort,
                       List<Integer> peers, boolean testSized) {

    public static NodeSpec single(Path workDir) {
        int discovery = FreePorts.next();
        return new NodeSpec("test-" + UUID.randomUUID().toString().substring(0, 8), workDir, discovery,
                FreePorts.next(), List.of(discovery), true);
    }

    /** The same node with the app's default memory region and write-ahead log. */
    public NodeSpec defaultSized() {
        return new NodeSpec(consistentId, workDir, discoveryPort, communicationPort, peers, false);
    }

    /** Nodes that discover each other. */
    public static List<NodeSpec> cluster(Path baseDir, int size) {
        List<Integer> discovery = new java.util.ArrayList<>();
        for (int i = 0; i < size; i++) {
            discovery.add(FreePorts.next());
        }
        String prefix = "test-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        return discovery.stream().map(port -> new NodeSpec(prefix + port, baseDir.resolve(String.valueOf(port)),
                port, FreePorts.next(), List.copyOf(discovery), true)).toList();
    }

    /** As Spring properties, for {@code triage.ignite.*}. */
    public Map<String, String> properties() {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("triage.ignite.consistent-id", consistentId);
        props.put("triage.ignite.work-dir", workDir.toString());
        props.put("triage.ignite.discovery-port", String.valueOf(discoveryPort));
        props.put("triage.ignite.discovery-port-range", "0");
        props.put("triage.ignite.communication-port", String.valueOf(communicationPort));
        props.put("triage.ignite.discovery-addresses",
                String.join(",", peers.stream().map(port -> "127.0.0.1:" + port).toList()));
        if (testSized) {
            props.put("triage.ignite.data-region-max-size", "128MB");
            props.put("triage.ignite.wal-segment-size", "4MB");
            props.put("triage.ignite.wal-segments", "2");
        }
        props.put("triage.ignite.baseline-auto-adjust-timeout", "1s");
        return props;
    }
}
