package com.triageassistant.store;

import java.time.Duration;

import com.triageassistant.backup.BackupProperties;
import com.triageassistant.support.NodeSpec;
import org.apache.ignite.Ignite;
import org.apache.ignite.configuration.WALMode;
import org.springframework.util.unit.DataSize;

/** A bare server node configured exactly as the app configures its own, without Spring around it. */
final class TestNodes {

    private TestNodes() {
    }

    static Ignite start(NodeSpec spec) {
        IgniteProperties props = new IgniteProperties(spec.consistentId(), spec.workDir(), "127.0.0.1",
                spec.discoveryPort(), 0, spec.communicationPort(),
                spec.peers().stream().map(port -> "127.0.0.1:" + port).toList(),
                DataSize.ofMegabytes(128), DataSize.ofMegabytes(4), 2, DataSize.ofMegabytes(64), WALMode.LOG_ONLY,
                Duration.ofSeconds(1), Duration.ofSeconds(60));
        try {
            return new StoreConfiguration().ignite(props, EncryptionProperties.off(), BackupProperties.defaults());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
