package com.triageassistant.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.triageassistant.backup.BackupProperties;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCluster;
import org.apache.ignite.IgniteSystemProperties;
import org.apache.ignite.Ignition;
import org.apache.ignite.cluster.ClusterState;
import org.apache.ignite.configuration.CacheConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
public class StoreConfiguration {

    private static final Logger log = LoggerFactory.getLogger(StoreConfiguration.class);

    /** The app's own server node, active and with a self-adjusting baseline before anyone uses it. */
    @Bean(destroyMethod = "close")
    public Ignite ignite(IgniteProperties props, EncryptionProperties encryption, BackupProperties backup)
            throws InterruptedException {
        // Ignite's own shutdown hook would stop the node while Spring's shutdown still runs the work that needs it
        // (training, erasure, inbox): the node is closed here, as this bean, after everything that uses it.
        System.setProperty(IgniteSystemProperties.IGNITE_NO_SHUTDOWN_HOOK, "true");
        // Quiet mode prints Ignite's banner and notices straight to standard output, past Logback: plain lines in
        // the middle of a JSON log. Not quiet, they are log events like any other, at the levels set for Ignite.
        System.setProperty(IgniteSystemProperties.IGNITE_QUIET, "false");
        // Otherwise Ignite looks for an installation of its own and warns that a jar has none. A snapshot opens a
        // context in <home>/work, so the home must be writable: the node's work directory is. One per JVM (Ignite
        // refuses a second one): the tests, with several nodes in one JVM, set it once for all.
        if (System.getProperty(IgniteSystemProperties.IGNITE_HOME) == null) {
            createDirectories(props.workDir());
            System.setProperty(IgniteSystemProperties.IGNITE_HOME, props.workDir().toAbsolutePath().toString());
        }
        Ignite ignite = Ignition.start(IgniteNodeConfigurer.configure(props, encryption,
                backup.snapshotDir(props.workDir())));
        try {
            activate(ignite.cluster(), props.activationTimeout());
            ignite.cluster().baselineAutoAdjustEnabled(true);
            ignite.cluster().baselineAutoAdjustTimeout(props.baselineAutoAdjustTimeout().toMillis());
        } catch (RuntimeException | InterruptedException e) {
            ignite.close();
            throw e;
        }
        return ignite;
    }

    private static void createDirectories(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create triage.ignite.work-dir " + directory, e);
        }
    }

    /**
     * Waits until the cluster is active, activating it from the oldest server node only. Instances started together
     * must not all ask: a second state change arriving while the first is applied fails that node's start, or the
     * first node's schema DDL ("cluster state change is in progress"). Every node agrees on which one is oldest.
     */
    private static void activate(IgniteCluster cluster, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!cluster.state().active()) {
            if (cluster.forServers().forOldest().node().isLocal()) {
                log.info("Activating the Ignite cluster");
                cluster.state(ClusterState.ACTIVE);
            } else if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Ignite cluster did not become active within " + timeout);
            } else {
                TimeUnit.MILLISECONDS.sleep(100);
            }
        }
    }

    /** SQL access, handed out only after the schema is current, so no feature ever sees an old schema. */
    @Bean
    public IgniteSql igniteSql(Ignite ignite, SchemaProperties schema, EncryptionProperties encryption,
                               BackupProperties backup) {
        IgniteSql sql = new IgniteSql(ignite);
        if (backup.restoreRequested()) {
            new SnapshotRestore(ignite, schema.lockTimeout(), backup.timeout())
                    .restoreIntoEmptyCluster(backup.restoreFrom());
        }
        new SchemaMigrator(ignite, sql, schema.location(), schema.lockTimeout(),
                TableOptions.encrypted(encryption.enabled())).migrate();
        if (encryption.enabled()) {
            warnAboutUnencryptedTables(ignite);
        }
        return sql;
    }

    /**
     * Ignite cannot encrypt a table after it was created: tables made before encryption was switched on stay in
     * clear text, and saying so is all a node can do (see docs/operations.md, "Encryption at rest").
     */
    private static void warnAboutUnencryptedTables(Ignite ignite) {
        List<String> clear = ignite.cacheNames().stream()
                .filter(name -> !name.equals(ClusterLease.CACHE) && !name.equalsIgnoreCase("SQL_PUBLIC_SCHEMA_VERSION"))
                .filter(name -> !ignite.cache(name).getConfiguration(CacheConfiguration.class).isEncryptionEnabled())
                .sorted().toList();
        if (!clear.isEmpty()) {
            log.warn("Encryption is on, but these tables were created before it was and are not encrypted: {}", clear);
        }
    }

    @Bean
    public TenantDataEraser tenantDataEraser(IgniteSql sql, TenantLocks locks) {
        return new TenantDataEraser(sql, locks);
    }
}
