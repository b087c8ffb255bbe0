package com.triageassistant.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.List;

import javax.management.JMException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

import com.sun.tools.attach.VirtualMachine;

/**
 * Another JVM's heap and its Ignite node's page memory, read through its own management beans: the benchmark
 * attaches to the app's process (same user, JDK attach API) and starts its local management agent, so the app runs
 * without any JMX flags.
 */
final class RemoteMemory implements AutoCloseable {

    private final JMXConnector connector;
    private final List<MemoryPoolMXBean> pools;
    private final MemoryMXBean memory;
    private final MBeanServerConnection beans;

    RemoteMemory(long pid) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(String.valueOf(pid));
        try {
            connector = JMXConnectorFactory.connect(new JMXServiceURL(vm.startLocalManagementAgent()));
        } finally {
            vm.detach();
        }
        pools = ManagementFactory.getPlatformMXBeans(connector.getMBeanServerConnection(), MemoryPoolMXBean.class);
        memory = ManagementFactory.getPlatformMXBean(connector.getMBeanServerConnection(), MemoryMXBean.class);
        beans = connector.getMBeanServerConnection();
    }

    /**
     * Off-heap pages Ignite has allocated in its default data region (its metrics' {@code TotalAllocatedSize}):
     * they grow with the stored data up to the region's size, then pages are replaced. NaN if not found.
     */
    double pageMemoryMb() {
        try {
            for (ObjectName name : beans.queryNames(new ObjectName("org.apache:group=io,name=\"dataregion.default\",*"),
                    null)) {
                return ((Number) beans.getAttribute(name, "TotalAllocatedSize")).longValue() / 1048576.0;
            }
        } catch (JMException | IOException e) {
            // reported as unknown
        }
        return Double.NaN;
    }

    /** Heap the JVM has taken from the OS (it grows towards {@code -Xmx} as the collector sees fit). */
    double committedMb() {
        return memory.getHeapMemoryUsage().getCommitted() / 1048576.0;
    }

    /** Heap in use right after the last collection of each heap pool: what the app keeps, not its garbage. */
    double afterGcMb() {
        long used = 0;
        for (MemoryPoolMXBean pool : pools) {
            MemoryUsage afterGc = pool.getCollectionUsage();
            if (pool.getType() == MemoryType.HEAP && afterGc != null) {
                used += afterGc.getUsed();
            }
        }
        return used / 1048576.0;
    }

    @Override
    public void close() throws IOException {
        connector.close();
    }
}
