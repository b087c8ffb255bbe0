package com.triageassistant.store;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param location    resource pattern of the versioned DDL scripts
 * @param lockTimeout how long a starting node waits for another node that is migrating
 */
@ConfigurationProperties("triage.schema")
public record SchemaProperties(
        @DefaultValue("classpath*:db/schema/V*__*.sql") String location,
        @DefaultValue("5m") Duration lockTimeout) {
}
