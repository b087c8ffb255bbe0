package com.triageassistant.operations;

import io.micrometer.core.instrument.config.MeterFilter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Keeps tenants out of the metrics Boot would record on its own. */
@Configuration(proxyBeanMethods = false)
class MeterHygieneConfiguration {

    /**
     * Boot times every call of a RestTemplate it built, tagged with the host called: for this app that is a tenant's
     * Jira site, one series per tenant naming it. {@code triage.jira.requests} measures those calls without it.
     */
    @Bean
    MeterFilter noOutboundHttpMeters() {
        return MeterFilter.denyNameStartsWith("http.client.requests");
    }
}
