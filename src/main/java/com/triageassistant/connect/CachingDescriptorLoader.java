package com.triageassistant.connect;

import com.atlassian.connect.spring.internal.descriptor.AddonDescriptor;
import com.atlassian.connect.spring.internal.descriptor.AddonDescriptorLoader;
import org.springframework.context.annotation.Primary;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.stereotype.Component;

/**
 * ACSB reads and resolves the descriptor from the classpath on every request it authenticates; under load that
 * classpath read and placeholder resolution dominate (and contend). The resolved text is cached once every
 * placeholder resolves (in tests {@code local.server.port} only does so after the server started).
 */
@Primary
@Component
class CachingDescriptorLoader extends AddonDescriptorLoader {

    private final ConfigurableEnvironment environment;
    private volatile String resolved;
    private volatile AddonDescriptor parsed;

    CachingDescriptorLoader(ConfigurableEnvironment environment) {
        super(environment);
        this.environment = environment;
    }

    @Override
    public String getRawDescriptor() {
        String cached = resolved;
        if (cached != null) {
            return cached;
        }
        String descriptor = super.getRawDescriptor();
        try {
            environment.resolveRequiredPlaceholders(descriptor);
            resolved = descriptor;
        } catch (IllegalArgumentException notYetResolvable) {
            // a placeholder has no value yet; try again next time
        }
        return descriptor;
    }

    /** Parsed once too: ACSB asks for it twice per authenticated request. */
    @Override
    public AddonDescriptor getDescriptor() {
        AddonDescriptor cached = parsed;
        if (cached != null) {
            return cached;
        }
        AddonDescriptor descriptor = super.getDescriptor();
        if (resolved != null) {
            parsed = descriptor;
        }
        return descriptor;
    }
}
