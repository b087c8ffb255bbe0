package com.triageassistant.store;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.apache.ignite.configuration.WALMode;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The embedded Ignite node. Defaults give one node on loopback with its data under {@code ./data}; a cluster is
 * several instances with distinct {@code consistent-id}s whose {@code discovery-addresses} name each other.
 *
 * @param consistentId         stable identity of this node in the baseline; must differ per instance and stay the
 *                             same across restarts, or the node comes back as a stranger with no data
 * @param workDir              where persistence, WAL and checkpoints live
 * @param localAddress         interface discovery and communication bind to
 * @param discoveryPort        first TCP discovery port of this node
 * @param discoveryPortRange   how many ports after {@code discoveryPort} the node may try
 * @param communicationPort    first TCP communication port of this node
 * @param discoveryAddresses   static IP finder entries ({@code host:port} or {@code host:port1..port2})
 * @param dataRegionMaxSize    off-heap page memory of the persistent data region
 * @param walSegmentSize       size of one WAL segment
 * @param walSegments          WAL segments in the work directory; with the size above this bounds the WAL's disk
 * @param walArchiveMaxSize    upper bound for archived WAL segments
 * @param walMode              LOG_ONLY survives a killed process; FSYNC also survives power loss, more slowly
 * @param baselineAutoAdjustTimeout how long membership must be stable before the baseline follows it
 * @param activationTimeout    how long start-up waits for the cluster to become active
 */
@ConfigurationProperties("triage.ignite")
public record IgniteProperties(
        @DefaultValue("triage-node-1") String consistentId,
        @DefaultValue("data/ignite") Path workDir,
        @DefaultValue("127.0.0.1") String localAddress,
        @DefaultValue("47500") int discoveryPort,
        @DefaultValue("10") int discoveryPortRange,
        @DefaultValue("47100") int communicationPort,
        @DefaultValue("127.0.0.1:47500..47509") List<String> discoveryAddresses,
        @DefaultValue("256MB") DataSize dataRegionMaxSize,
        @DefaultValue("16MB") DataSize walSegmentSize,
        @DefaultValue("4") int walSegments,
        @DefaultValue("256MB") DataSize walArchiveMaxSize,
        @DefaultValue("LOG_ONLY") WALMode walMode,
        @DefaultValue("10s") Duration baselineAutoAdjustTimeout,
        @DefaultValue("60s") Duration activationTimeout) {
}
