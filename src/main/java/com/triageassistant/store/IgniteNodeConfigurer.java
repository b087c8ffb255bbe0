package com.triageassistant.store;

import java.nio.file.Path;

import org.apache.ignite.configuration.DataRegionConfiguration;
import org.apache.ignite.configuration.DataStorageConfiguration;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.apache.ignite.failure.StopNodeFailureHandler;
import org.apache.ignite.logger.slf4j.Slf4jLogger;
import org.apache.ignite.spi.communication.tcp.TcpCommunicationSpi;
import org.apache.ignite.spi.discovery.tcp.TcpDiscoverySpi;
import org.apache.ignite.spi.discovery.tcp.ipfinder.vm.TcpDiscoveryVmIpFinder;
import org.apache.ignite.spi.encryption.keystore.KeystoreEncryptionSpi;

/** Turns {@link IgniteProperties} into the configuration of the app's own server node. */
final class IgniteNodeConfigurer {

    private static final long MIN_INITIAL_REGION_BYTES = 32L * 1024 * 1024;

    private IgniteNodeConfigurer() {
    }

    private static final int MESSAGE_QUEUE_LIMIT = 1024;
    private static final int PAGE_SIZE = 4096;

    /** @param snapshotDir where this node writes its part of each snapshot (see {@code BackupProperties}) */
    static IgniteConfiguration configure(IgniteProperties props, EncryptionProperties encryption, Path snapshotDir) {
        TcpDiscoveryVmIpFinder ipFinder = new TcpDiscoveryVmIpFinder().setAddresses(props.discoveryAddresses());
        TcpDiscoverySpi discovery = new TcpDiscoverySpi()
                .setIpFinder(ipFinder)
                .setLocalAddress(props.localAddress())
                .setLocalPort(props.discoveryPort())
                .setLocalPortRange(props.discoveryPortRange());
        TcpCommunicationSpi communication = new TcpCommunicationSpi();
        communication.setLocalAddress(props.localAddress());
        communication.setLocalPort(props.communicationPort());
        // Unbounded (Ignite's default, which it warns about at every start) lets a slow node's backlog grow without
        // limit; writes here are FULL_SYNC, so the bound only ever applies to Ignite's own asynchronous messages.
        communication.setMessageQueueLimit(MESSAGE_QUEUE_LIMIT);

        long regionMax = props.dataRegionMaxSize().toBytes();
        DataStorageConfiguration storage = new DataStorageConfiguration()
                // Ignite's default, stated: unset, every start searches the work directory for it and says so.
                .setPageSize(PAGE_SIZE)
                .setDefaultDataRegionConfiguration(new DataRegionConfiguration()
                        .setName("default")
                        .setPersistenceEnabled(true)
                        .setInitialSize(Math.min(regionMax, MIN_INITIAL_REGION_BYTES))
                        .setMaxSize(regionMax))
                .setWalSegmentSize((int) props.walSegmentSize().toBytes())
                .setWalSegments(props.walSegments())
                .setMaxWalArchiveSize(props.walArchiveMaxSize().toBytes())
                .setWalMode(props.walMode());

        IgniteConfiguration config = new IgniteConfiguration()
                .setIgniteInstanceName(props.consistentId())
                .setConsistentId(props.consistentId())
                .setWorkDirectory(props.workDir().toAbsolutePath().toString())
                .setSnapshotPath(snapshotDir.toAbsolutePath().toString())
                .setGridLogger(new Slf4jLogger())
                // Ignite otherwise copies every environment variable and system property into node attributes,
                // which every other node (and any tool that lists them) can read.
                .setIncludeProperties()
                .setMetricsLogFrequency(0)
                .setPeerClassLoadingEnabled(false)
                // Tenant data is reached only through this app, never through Ignite's thin-client port.
                .setClientConnectorConfiguration(null)
                // A critical failure (e.g. a full disk) stops the node but not the app, which then reports DOWN.
                .setFailureHandler(new StopNodeFailureHandler())
                .setDiscoverySpi(discovery)
                .setCommunicationSpi(communication)
                .setDataStorageConfiguration(storage);
        if (encryption.enabled()) {
            config.setEncryptionSpi(encryptionSpi(encryption));
        }
        return config;
    }

    /**
     * The master key only encrypts the per-table keys Ignite generates; those encrypt the pages and WAL records of
     * tables created with {@code ENCRYPTED=true} (see {@link SchemaMigrator}).
     */
    private static KeystoreEncryptionSpi encryptionSpi(EncryptionProperties encryption) {
        if (encryption.keystorePath() == null) {
            throw new IllegalStateException("triage.ignite.encryption.enabled needs triage.ignite.encryption.keystore-path");
        }
        KeystoreEncryptionSpi spi = new KeystoreEncryptionSpi();
        spi.setKeyStorePath(encryption.keystorePath().toAbsolutePath().toString());
        spi.setKeyStorePassword(encryption.password());
        spi.setMasterKeyName(encryption.masterKeyName());
        return spi;
    }
}
